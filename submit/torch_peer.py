#!/usr/bin/env python3
"""The PyTorch peer of the benchmark (issue 14): the seed's network (784-512-512-10, ReLU) trained with Adam 1e-3,
batch 64, on Fashion-MNIST preloaded as tensors, in one process at its fastest thread count, until the test
accuracy first reaches the target. Prints one line per epoch, then a result line for the benchmark:
    BENCHMARK-RESULT {"threads": 1, "epochs": [{"epoch": 1, "train_seconds": ..., "test_seconds": ...,
                      "test_accuracy": ...}, ...], "calibration_seconds": ..., "reached_epoch": 5, ...}

usage: torch_peer.py [--data DIR] [--target 0.88] [--max-epochs 10] [--seed 42] [--threads N]
Needs Debian's python3-torch (run with /usr/bin/python3)."""
import argparse
import gzip
import json
import os
import pathlib
import sys
import time

import numpy as np
import torch
from torch import nn

PREFIX = "BENCHMARK-RESULT "


def read_idx(path, header):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def load(directory):
    d = pathlib.Path(directory)
    def images(name):
        return torch.from_numpy(read_idx(d / name, 16).reshape(-1, 784).astype(np.float32) / 255.0)
    def labels(name):
        return torch.from_numpy(read_idx(d / name, 8).astype(np.int64))
    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def network():
    # the seed's NeuralNetwork: Flatten, Linear(784, 512), ReLU, Linear(512, 512), ReLU, Linear(512, 10)
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


def train_epoch(model, optimizer, loss_fn, x, y, batch, generator):
    model.train()
    order = torch.randperm(len(x), generator=generator)
    for start in range(0, len(x), batch):
        idx = order[start:start + batch]
        loss = loss_fn(model(x[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def seconds_per_step(threads, x, y, batch, steps=50):
    """Times Adam steps of a throwaway model at a thread count (after a short warm-up)."""
    torch.set_num_threads(threads)
    model = network()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    def run(n):
        for s in range(n):
            idx = slice(s * batch, (s + 1) * batch)
            loss = loss_fn(model(x[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    run(10)
    begin = time.perf_counter()
    run(steps)
    return (time.perf_counter() - begin) / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--target", type=float, default=0.88)
    parser.add_argument("--max-epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=0, help="0: the fastest of 1..cores, measured first")
    args = parser.parse_args()

    x, y, test_x, test_y = load(args.data)
    calibration_start = time.perf_counter()
    if args.threads > 0:
        threads = args.threads
        timings = {}
    else:
        timings = {t: seconds_per_step(t, x, y, args.batch_size) for t in range(1, (os.cpu_count() or 1) + 1)}
        threads = min(timings, key=timings.get)
    calibration = time.perf_counter() - calibration_start if timings else 0.0
    torch.set_num_threads(threads)
    print(f"threads: {threads} (ms per Adam step: "
          + ", ".join(f"{t}: {1000 * s:.2f}" for t, s in timings.items()) + f"; calibration {calibration:.1f} s)",
          flush=True)

    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    model = network()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    epochs = []
    reached = None
    for epoch in range(1, args.max_epochs + 1):
        begin = time.perf_counter()
        train_epoch(model, optimizer, loss_fn, x, y, args.batch_size, generator)
        trained = time.perf_counter()
        acc = accuracy(model, test_x, test_y)
        end = time.perf_counter()
        epochs.append({"epoch": epoch, "train_seconds": trained - begin, "test_seconds": end - trained,
                       "test_accuracy": acc})
        print(f"epoch {epoch}: {end - begin:.2f} s (test {end - trained:.2f} s), test accuracy {100 * acc:.1f}%",
              flush=True)
        if acc >= args.target:
            reached = epoch
            break
    print(PREFIX + json.dumps({"threads": threads, "torch": torch.__version__, "calibration_seconds": calibration,
                               "target": args.target, "reached_epoch": reached, "epochs": epochs}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
