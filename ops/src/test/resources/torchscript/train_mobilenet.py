"""Trains a small MobileNetV1 on Fashion-MNIST in PyTorch and exports it with torch.jit.

What a data scientist would hand over to Glimpse, plus what the test needs to check Glimpse
against PyTorch itself:

  <out>/mobilenet.pt        the TorchScript module (torch.jit.trace, eval mode); outputs logits
  <out>/test-images.u8      N test images, 1x32x32 uint8 each (28x28 zero-padded by 2), row-major
  <out>/expected.json       normalization, labels, PyTorch's softmax probabilities and accuracy
                            on those images

Images are padded to 32x32 here, so that the pipeline receives exactly these 32x32 pixels and
its preprocessing is only the normalization (pixel / 255 - mean) / std, in float32, as here.

Usage: train_mobilenet.py <fashion-mnist dir> <out dir> [--steps 300] [--test-images 200]
Runs with Debian's python3-torch (1.13, CPU) and python3-numpy.
"""

import argparse
import gzip
import json
import os
import random

import numpy as np
import torch
from torch import nn

MEAN = 0.2860
STD = 0.3530
SIDE = 32
PAD = (SIDE - 28) // 2

# The same MobileNetV1 that `glimpse bench engine` measures PyTorch with (ops main resource
# bench/pytorch_engine.py, copied next to this script by PyTorchTraining).
from pytorch_engine import MobileNetV1  # noqa: E402


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(directory, split):
    images = read_idx(os.path.join(directory, split + "-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(directory, split + "-labels-idx1-ubyte.gz"))
    padded = np.pad(images, ((0, 0), (PAD, PAD), (PAD, PAD)))  # zeros, like the background
    return padded, labels.astype(np.int64)


def normalize(pixels):
    """uint8 (N, 32, 32) -> float32 (N, 1, 32, 32), (pixel / 255 - mean) / std."""
    x = pixels.astype(np.float32) / np.float32(255)
    x = (x - np.float32(MEAN)) / np.float32(STD)
    return torch.from_numpy(x[:, None, :, :])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("out")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--test-images", type=int, default=200)
    parser.add_argument("--alpha", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    # One thread: on a small, shared machine, two OpenMP threads wait on each other (10x slower).
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)

    train_x, train_y = load(args.data, "train")
    test_x, test_y = load(args.data, "t10k")
    test_x, test_y = test_x[: args.test_images], test_y[: args.test_images]

    model = MobileNetV1(args.alpha, 1, 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=4e-5)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, 0.1, total_steps=args.steps)
    loss_fn = nn.CrossEntropyLoss()
    order = np.random.permutation(len(train_x))
    model.train()
    for step in range(args.steps):
        start = (step * args.batch) % (len(order) - args.batch)
        batch = order[start : start + args.batch]
        loss = loss_fn(model(normalize(train_x[batch])), torch.from_numpy(train_y[batch]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()

    model.eval()
    inputs = normalize(test_x)
    traced = torch.jit.trace(model, inputs[:1])
    traced.save(os.path.join(args.out, "mobilenet.pt"))
    with torch.no_grad():
        probabilities = torch.softmax(model(inputs), dim=1)
        traced_probabilities = torch.softmax(traced(inputs), dim=1)
    drift = (probabilities - traced_probabilities).abs().max().item()
    assert drift < 1e-5, "the traced module disagrees with the model: %g" % drift
    predicted = probabilities.argmax(dim=1).numpy()
    correct = int((predicted == test_y).sum())

    test_x.astype(np.uint8).tofile(os.path.join(args.out, "test-images.u8"))
    expected = {
        "side": SIDE,
        "alpha": args.alpha,
        "mean": MEAN,
        "std": STD,
        "steps": args.steps,
        "labels": test_y.tolist(),
        "correct": correct,
        "accuracy": correct / len(test_y),
        "probabilities": probabilities.numpy().astype(float).tolist(),
        "torch": torch.__version__,
    }
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(expected, f)
    print("trained %d steps, accuracy %d/%d on the test images" % (args.steps, correct, len(test_y)))


if __name__ == "__main__":
    main()
