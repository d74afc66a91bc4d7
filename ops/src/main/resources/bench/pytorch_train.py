"""The PyTorch side of `glimpse bench train`: one training step of the same MobileNetV1, eager.

The network is bench/pytorch_engine.py's (the benchmark writes both scripts to one directory), in
train mode; the step is what a PyTorch user writes for the trainer's recipe: forward, label-smoothed
cross-entropy, backward, SGD with momentum and weight decay on convolution and linear weights only,
and the loss and the correct count read back as Python numbers. The benchmark drives it over
stdin/stdout, one JSON object per line each way, so its steps alternate with Glimpse's:

  {"op": "build", "alpha": 0.5, "channels": 1, "size": 64, "classes": 10, "batch": 128,
   "threads": 2, "lr": 0.1, "momentum": 0.9, "weight_decay": 5e-4, "smoothing": 0.1}
      -> {"cpus_inherited": [0], "trainable": N, "running_stats": M, "torch": "1.13.0", "threads": 2}
  {"op": "steps", "count": 5}
      -> {"step_ms": [...], "forward_ms": [...], "loss_ms": [...], "backward_ms": [...],
          "read_back_ms": [...], "optimizer_ms": [...]}
  {"op": "quit"}

Random images and labels, fixed for the run: a step's time does not depend on their values.
Runs with Debian's python3-torch (1.13, CPU); any error is reported as {"error": "..."}.
"""

import os
import time

import torch
from torch import nn

from pytorch_engine import MobileNetV1, serve


class Subject:
    """The network, its optimizer and one batch."""

    def __init__(self, spec):
        torch.set_num_threads(int(spec["threads"]))
        torch.manual_seed(0)
        channels, size, classes = int(spec["channels"]), int(spec["size"]), int(spec["classes"])
        batch = int(spec["batch"])
        self.model = MobileNetV1(float(spec["alpha"]), channels, classes).train()
        decay = [p for n, p in self.model.named_parameters() if n.endswith("weight") and p.dim() > 1]
        rest = [p for n, p in self.model.named_parameters() if not (n.endswith("weight") and p.dim() > 1)]
        self.optimizer = torch.optim.SGD(
            [{"params": decay, "weight_decay": float(spec["weight_decay"])}, {"params": rest, "weight_decay": 0.0}],
            lr=float(spec["lr"]),
            momentum=float(spec["momentum"]),
        )
        self.loss = nn.CrossEntropyLoss(label_smoothing=float(spec["smoothing"]))
        self.x = torch.randn(batch, channels, size, size)
        self.y = torch.randint(0, classes, (batch,))
        self.trainable = sum(p.numel() for p in self.model.parameters())
        self.running_stats = sum(
            b.numel() for name, b in self.model.named_buffers() if not name.endswith("num_batches_tracked")
        )

    def steps(self, count):
        times = {k: [] for k in ("step_ms", "forward_ms", "loss_ms", "backward_ms", "read_back_ms", "optimizer_ms")}
        for _ in range(count):
            t0 = time.perf_counter()
            logits = self.model(self.x)
            t1 = time.perf_counter()
            loss = self.loss(logits, self.y)
            t2 = time.perf_counter()
            loss.backward()
            t3 = time.perf_counter()
            loss.item()
            (logits.argmax(1) == self.y).sum().item()
            t4 = time.perf_counter()
            self.optimizer.step()
            self.optimizer.zero_grad()
            t5 = time.perf_counter()
            for key, (a, b) in zip(times, ((t0, t5), (t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5))):
                times[key].append((b - a) * 1000.0)
        return times


# A process started from the JVM inherits the CPU mask of the thread that started it; if libtorch's
# OpenMP pinned that thread to one CPU, two intra-op threads would share it. Use every CPU, and
# report what was inherited.
INHERITED_CPUS = sorted(os.sched_getaffinity(0))
os.sched_setaffinity(0, range(os.cpu_count()))


def main():
    serve(Subject, lambda subject, r: subject.steps(int(r["count"])),
          {"cpus_inherited": INHERITED_CPUS})


if __name__ == "__main__":
    main()
