#!/usr/bin/env python3
"""Logs what FisherTrace's two-batch noise estimator needs from data-parallel (DDP) training.

Each step, every rank holds its local gradient G_small (its own batch of B_small samples) before the
all-reduce, and the averaged gradient G_big (B_big = world_size x B_small samples) after it. Since
E|G_B|^2 = |G|^2 + tr(Sigma)/B, the two squared norms give the gradient noise scale
B_simple = tr(Sigma)/|G|^2 (McCandlish et al. 2018, appendix A.1) at no extra compute. This logger reads
|G_small|^2 from a DDP communication hook (the buckets before they are reduced; averaged over ranks,
which keeps it unbiased and less noisy) and |G_big|^2 from the parameters' .grad afterwards, and rank 0
appends one CSV row per step:

    step,b_small,g_small_sq,b_big,g_big_sq

Read it with `batch-advisor noise --log noise.csv`. Not for steps that accumulate gradients over
several backward passes with no_sync(): log once per optimizer step with one backward.

    ddp = torch.nn.parallel.DistributedDataParallel(model)
    logger = TwoBatchNoiseLogger(ddp, local_batch=32, path="noise.csv")
    for step, (x, y) in enumerate(loader):
        loss_fn(ddp(x), y).backward()
        logger.log(step)            # every rank calls it; rank 0 writes
        optimizer.step(); optimizer.zero_grad()

Demo (2 CPU processes, gloo): python3 tools/dump/ddp_noise_logger.py --demo noise.csv
"""
import argparse
import os

import torch
import torch.distributed as dist
from torch.distributed.algorithms.ddp_comm_hooks.default_hooks import allreduce_hook


class TwoBatchNoiseLogger:
    def __init__(self, ddp_model, local_batch, path):
        self.model, self.local_batch, self.path = ddp_model, local_batch, path
        self.world = dist.get_world_size()
        self.local_squares = None
        ddp_model.register_comm_hook(self, TwoBatchNoiseLogger._hook)
        if dist.get_rank() == 0 and not os.path.exists(path):
            with open(path, "w") as f:
                f.write("step,b_small,g_small_sq,b_big,g_big_sq\n")

    @staticmethod
    def _hook(state, bucket):
        squares = bucket.buffer().double().pow(2).sum()  # this rank's gradient, before the all-reduce
        state.local_squares = squares if state.local_squares is None else state.local_squares + squares
        return allreduce_hook(None, bucket)

    def log(self, step):
        """Call after backward() on every rank; rank 0 appends the row."""
        small = self.local_squares.detach().reshape(1).clone()
        dist.all_reduce(small)
        small /= self.world
        big = sum(p.grad.double().pow(2).sum() for p in self.model.parameters() if p.grad is not None)
        self.local_squares = None
        if dist.get_rank() == 0:
            with open(self.path, "a") as f:
                f.write(f"{step},{self.local_batch},{small.item()!r},{self.local_batch * self.world},{float(big)!r}\n")


def _demo_rank(rank, world, path):
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29517")
    dist.init_process_group("gloo", rank=rank, world_size=world)
    torch.manual_seed(0)
    model = torch.nn.Linear(20, 1)
    ddp = torch.nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.SGD(ddp.parameters(), lr=0.01)
    logger = TwoBatchNoiseLogger(ddp, local_batch=16, path=path)
    truth = torch.linspace(-1, 1, 20)
    generator = torch.Generator().manual_seed(100 + rank)
    for step in range(1, 101):
        x = torch.randn(16, 20, generator=generator)
        y = x @ truth + 0.5 * torch.randn(16, generator=generator)
        torch.nn.functional.mse_loss(ddp(x).squeeze(1), y).backward()
        logger.log(step)
        optimizer.step()
        optimizer.zero_grad()
    dist.destroy_process_group()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", metavar="OUT", required=True, help="train a toy model on 2 CPU ranks, log to OUT")
    out = parser.parse_args().demo
    if os.path.exists(out):
        os.remove(out)
    torch.multiprocessing.spawn(_demo_rank, args=(2, out), nprocs=2)
    print(f"{out}: 100 steps, B_small = 16, B_big = 32")
