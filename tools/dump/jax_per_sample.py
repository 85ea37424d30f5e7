#!/usr/bin/env python3
"""Per-sample gradients of a JAX model, dumped for FisherTrace.

jax.vmap(jax.grad(loss)) maps the gradient of one sample's loss over the batch, for any pytree of
parameters (plain dicts, Flax or Equinox parameter trees). The dump is a .safetensors file with one
tensor per pytree leaf, named by its path ("dense1.kernel"), shape N x numel; or a .npy file with one
N x D matrix (leaves concatenated in tree order). bfloat16 stays bfloat16: safetensors writes BF16,
NumPy writes ml_dtypes.bfloat16 as '<V2', which FisherTrace reads as bfloat16.

    from jax_per_sample import per_sample_gradients, save
    grads = per_sample_gradients(loss, params, x, y)       # loss(params, x_i, y_i) -> scalar
    save(grads, "grads.safetensors", dtype=jnp.bfloat16)

Demo: python3 tools/dump/jax_per_sample.py --demo grads.safetensors
"""
import argparse

import jax
import jax.numpy as jnp
import numpy as np


def leaf_name(path):
    parts = []
    for key in path:
        parts.append(str(getattr(key, "key", getattr(key, "name", getattr(key, "idx", key)))))
    return ".".join(parts)


def per_sample_gradients(loss, params, inputs, targets):
    """{leaf name: N x numel array}: the gradient of loss(params, x_i, y_i) for each sample i.

    loss takes ONE sample (no batch axis); vmap adds the batch axis.
    """
    g = jax.vmap(jax.grad(loss), in_axes=(None, 0, 0))(params, inputs, targets)
    leaves, _ = jax.tree_util.tree_flatten_with_path(g)
    return {leaf_name(path): leaf.reshape(leaf.shape[0], -1) for path, leaf in leaves}


def save(grads, path, dtype=jnp.float32, metadata=None):
    """Writes {name: N x numel} as .safetensors (one tensor per leaf) or .npy (N x D, tree order)."""
    arrays = {k: np.asarray(v.astype(dtype)) for k, v in grads.items()}
    if path.endswith(".safetensors"):
        from safetensors.numpy import save_file
        save_file(arrays, path, metadata=metadata)
    elif path.endswith(".npy"):
        np.save(path, np.concatenate(list(arrays.values()), axis=1))
    else:
        raise ValueError(f"{path}: expected a .safetensors or .npy path")


def demo(path):
    key = jax.random.PRNGKey(0)
    k1, k2, k3, k4 = jax.random.split(key, 4)
    params = {"dense1": {"kernel": jax.random.normal(k1, (8, 16)) * 0.3, "bias": jnp.zeros(16)},
              "dense2": {"kernel": jax.random.normal(k2, (16, 3)) * 0.3, "bias": jnp.zeros(3)}}

    def loss(p, x, y):
        h = jnp.tanh(x @ p["dense1"]["kernel"] + p["dense1"]["bias"])
        logits = h @ p["dense2"]["kernel"] + p["dense2"]["bias"]
        return -jax.nn.log_softmax(logits)[y]

    x, y = jax.random.normal(k3, (48, 8)), jax.random.randint(k4, (48,), 0, 3)
    grads = per_sample_gradients(loss, params, x, y)
    # The reference uses the bfloat16 values that are written, summed in float64.
    rounded = [np.asarray(v.astype(jnp.bfloat16)).astype(np.float64) for v in grads.values()]
    trace = float(np.mean(sum((r ** 2).sum(axis=1) for r in rounded)))
    save(grads, path, dtype=jnp.bfloat16, metadata={"trace": repr(trace), "producer": "jax_per_sample.py --demo"})
    print(f"{path}: leaves {list(grads)}, N = {x.shape[0]}, tr(I_F) = {trace:.6g}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", metavar="OUT", required=True, help="write the demo dump to OUT (.safetensors or .npy)")
    demo(parser.parse_args().demo)
