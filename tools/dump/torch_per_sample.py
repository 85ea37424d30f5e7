#!/usr/bin/env python3
"""Per-sample gradients of a PyTorch model, dumped for FisherTrace.

torch.func computes every sample's gradient of its own loss in one vectorized pass
(vmap over grad). The dump is a .safetensors file with one tensor per parameter, shape N x numel
(each parameter is a layer of the Fisher breakdown), or a .npy file holding one N x D matrix (all
parameters concatenated in model order). Big data sets: call dump_loader(), which writes one shard
per batch into a folder; batch-advisor reads the folder as one data set.

    from torch_per_sample import per_sample_gradients, save
    grads = per_sample_gradients(model, torch.nn.functional.cross_entropy, x, y)
    save(grads, "grads.safetensors")                      # or "grads.npy", dtype=torch.bfloat16

Demo (a small MLP on random data; writes the file and the trace that PyTorch computed):
    python3 tools/dump/torch_per_sample.py --demo grads.safetensors
"""
import argparse
import os

import torch
from torch.func import functional_call, grad, vmap


def per_sample_gradients(model, loss_fn, inputs, targets, chunk_size=None):
    """{parameter name: N x numel tensor}: the gradient of loss_fn(model(x_i), y_i) for each sample i.

    loss_fn sees one sample at a time (batch of 1), so a mean-reduced loss is the per-sample loss.
    chunk_size bounds vmap's memory (samples per vectorized slice).
    """
    params = {k: v.detach() for k, v in model.named_parameters() if v.requires_grad}
    buffers = {k: v.detach() for k, v in model.named_buffers()}

    def sample_loss(p, b, x, y):
        return loss_fn(functional_call(model, (p, b), (x.unsqueeze(0),)), y.unsqueeze(0))

    g = vmap(grad(sample_loss), in_dims=(None, None, 0, 0), chunk_size=chunk_size)(params, buffers, inputs, targets)
    return {name: value.reshape(value.shape[0], -1) for name, value in g.items()}


def save(grads, path, dtype=torch.float32, metadata=None):
    """Writes {name: N x numel} as .safetensors (one tensor per parameter) or .npy (N x D, model order)."""
    if path.endswith(".safetensors"):
        from safetensors.torch import save_file
        save_file({k: v.to(dtype).contiguous() for k, v in grads.items()}, path, metadata=metadata)
    elif path.endswith(".npy"):
        import numpy as np
        matrix = torch.cat([v.to(torch.float32) for v in grads.values()], dim=1)
        if dtype == torch.bfloat16:  # NumPy has no bfloat16: ml_dtypes writes it as '<V2', read as bfloat16
            import ml_dtypes
            array = matrix.numpy().astype(ml_dtypes.bfloat16)
        else:
            array = matrix.to(dtype).numpy()
        np.save(path, array)
    else:
        raise ValueError(f"{path}: expected a .safetensors or .npy path")


def dump_loader(model, loss_fn, loader, folder, dtype=torch.float32, chunk_size=None, max_batches=None):
    """Writes one shard per batch of (inputs, targets): folder/part-00000.safetensors, …"""
    os.makedirs(folder, exist_ok=True)
    for k, (x, y) in enumerate(loader):
        if max_batches is not None and k >= max_batches:
            break
        save(per_sample_gradients(model, loss_fn, x, y, chunk_size), os.path.join(folder, f"part-{k:05d}.safetensors"), dtype)


def demo(path):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3))
    x, y = torch.randn(64, 8), torch.randint(0, 3, (64,))
    grads = per_sample_gradients(model, torch.nn.functional.cross_entropy, x, y)
    norms = sum((g.double() ** 2).sum(dim=1) for g in grads.values())
    # tr(I_F) = mean over samples of the squared per-sample gradient norm, computed by PyTorch in float64.
    save(grads, path, metadata={"trace": repr(norms.mean().item()), "producer": "torch_per_sample.py --demo"})
    print(f"{path}: {len(grads)} parameters, N = {x.shape[0]}, tr(I_F) = {norms.mean().item():.6g}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", metavar="OUT", required=True, help="write the demo dump to OUT (.safetensors or .npy)")
    demo(parser.parse_args().demo)
