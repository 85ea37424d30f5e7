#!/usr/bin/env python3
"""Ghost-norm inputs of a PyTorch model's nn.Linear layers, dumped for FisherTrace.

For a linear layer y = x Wᵀ + b applied at T positions per sample, sample i's weight gradient is
Gᵢ = Σₜ δᵢₜ aᵢₜᵀ, with aᵢₜ the layer's input and δᵢₜ the gradient of sample i's loss with respect to the
layer's output. Hooks capture A (N x T x d_in) in the forward pass and Δ (N x T x d_out) in the backward
pass; batch-advisor computes ‖Gᵢ‖² from them without ever forming Gᵢ (the ghost-norm trick). The dump
is a .safetensors file with `<layer>.activations` and `<layer>.backprops` per nn.Linear (2-D tensors
N x d when the layer sees one position per sample).

The loss must be SUMMED over the batch (reduction="sum"): then each row of Δ is that sample's own
backprop. A mean-reduced loss scales every δ by 1/N.

    from torch_linear_hooks import LinearCapture
    with LinearCapture(model) as capture:
        loss = torch.nn.functional.cross_entropy(model(x), y, reduction="sum")
        loss.backward()
    capture.save("ghost.safetensors")

Demo: python3 tools/dump/torch_linear_hooks.py --demo ghost.safetensors
"""
import argparse

import torch


class LinearCapture:
    """Records every nn.Linear's input activations and output gradients during one forward/backward."""

    def __init__(self, model, dtype=torch.float32):
        self.model, self.dtype = model, dtype
        self.activations, self.backprops, self.has_bias, self.handles = {}, {}, {}, []

    def __enter__(self):
        for name, module in self.model.named_modules():
            if isinstance(module, torch.nn.Linear):
                self.has_bias[name] = module.bias is not None
                self.handles.append(module.register_forward_hook(self._forward(name)))
        return self

    def __exit__(self, *exc):
        for handle in self.handles:
            handle.remove()
        self.handles = []

    def _forward(self, name):
        def hook(module, inputs, output):
            self.activations[name] = inputs[0].detach().to(self.dtype)
            if output.requires_grad:  # the gradient with respect to the output arrives in backward
                output.register_hook(lambda g: self.backprops.__setitem__(name, g.detach().to(self.dtype)))
        return hook

    def tensors(self):
        out = {}
        for name in self.activations:
            if name not in self.backprops:
                raise RuntimeError(f"layer {name}: no backward pass was captured (call loss.backward() inside the block)")
            out[f"{name}.activations"] = self.activations[name].contiguous()
            out[f"{name}.backprops"] = self.backprops[name].contiguous()
        return out

    def save(self, path, metadata=None):
        from safetensors.torch import save_file
        meta = {"bias_layers": ",".join(n for n, b in self.has_bias.items() if b)}
        save_file(self.tensors(), path, metadata={**meta, **(metadata or {})})


def demo(path):
    torch.manual_seed(0)
    # A token model: N = 6 sequences of T = 5 positions; two linear layers applied per position.
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    x, y = torch.randn(6, 5, 4), torch.randint(0, 3, (6, 5))
    with LinearCapture(model) as capture:
        loss = torch.nn.functional.cross_entropy(model(x).reshape(-1, 3), y.reshape(-1), reduction="sum")
        loss.backward()
    # Reference: Σ over layers of ‖Δᵢᵀ Aᵢ‖²_F (weights only), averaged over samples, in float64.
    trace = sum(torch.einsum("ntd,nte->nde", capture.backprops[n].double(), capture.activations[n].double())
                .pow(2).sum(dim=(1, 2)) for n in capture.activations).mean().item()
    capture.save(path, metadata={"weight_trace": repr(trace), "producer": "torch_linear_hooks.py --demo"})
    print(f"{path}: layers {list(capture.activations)}, weight tr(I_F) = {trace:.6g}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", metavar="OUT", required=True, help="write the demo dump to OUT (.safetensors)")
    demo(parser.parse_args().demo)
