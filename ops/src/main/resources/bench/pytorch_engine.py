"""The PyTorch side of `glimpse bench engine`: the same MobileNetV1 as Glimpse's, built in PyTorch.

A Python user who does not pick Glimpse writes a loop around this network. The benchmark starts
this script once and drives it over stdin/stdout, one JSON object per line each way, so that its
rounds alternate with Glimpse's in the same run:

  {"op": "build", "alpha": 0.25, "channels": 3, "size": 64, "classes": 10, "threads": 1}
      -> {"trainable": N, "running_stats": M, "torch": "1.13.0"}
  {"op": "measure", "kind": "eager" | "torchscript", "batch": 32, "seconds": 1.0}
      -> {"images_per_s": X, "batches": K}
  {"op": "quit"}

Eager is the model in eval mode under torch.no_grad(); TorchScript is torch.jit.trace of it,
then torch.jit.freeze (which, among others, folds each BatchNorm into its convolution). Both end
with a softmax, as Glimpse's classifier does. Random weights: throughput does not depend on them.
Runs with Debian's python3-torch (1.13, CPU); any error is reported as {"error": "..."}.
"""

import json
import sys
import time

import torch
from torch import nn

# MobileNetV1 (Howard et al. 2017, table 1) after the first 3x3 stride-2 convolution:
# (output channels, stride) of each depthwise-separable block.
BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)]
BLOCKS += [(512, 1)] * 5 + [(1024, 2), (1024, 1)]


def conv_bn(inputs, outputs, stride, groups=1, kernel=3):
    return [
        nn.Conv2d(inputs, outputs, kernel, stride, kernel // 2, groups=groups, bias=False),
        nn.BatchNorm2d(outputs),
        nn.ReLU(inplace=True),
    ]


class MobileNetV1(nn.Module):
    """MobileNetV1 with width multiplier alpha; returns logits."""

    def __init__(self, alpha, in_channels, classes):
        super().__init__()
        channels = int(32 * alpha)
        layers = conv_bn(in_channels, channels, 2)
        for filters, stride in BLOCKS:
            out = int(filters * alpha)
            layers += conv_bn(channels, channels, stride, groups=channels)  # depthwise 3x3
            layers += conv_bn(channels, out, 1, kernel=1)  # pointwise 1x1
            channels = out
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(channels, classes)

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.classifier(x)


class Subject:
    """One network in both forms, and its input shape."""

    def __init__(self, spec):
        torch.set_num_threads(int(spec["threads"]))
        torch.manual_seed(0)
        self.shape = (int(spec["channels"]), int(spec["size"]), int(spec["size"]))
        model = MobileNetV1(float(spec["alpha"]), self.shape[0], int(spec["classes"])).eval()
        with torch.no_grad():
            traced = torch.jit.trace(model, torch.randn(1, *self.shape))
            self.forms = {"eager": model, "torchscript": torch.jit.freeze(traced)}
        self.trainable = sum(p.numel() for p in model.parameters())
        self.running_stats = sum(
            b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked")
        )
        self.inputs = {}

    def measure(self, kind, batch, seconds):
        model = self.forms[kind]
        if batch not in self.inputs:
            self.inputs[batch] = torch.randn(batch, *self.shape)
        x = self.inputs[batch]
        with torch.no_grad():
            for _ in range(2):  # warm-up: TorchScript profiles its first runs
                model(x).softmax(1)
            count = 0
            start = time.perf_counter()
            while True:
                model(x).softmax(1)
                count += 1
                elapsed = time.perf_counter() - start
                if elapsed >= seconds and count >= 2:
                    break
        return {"images_per_s": count * batch / elapsed, "batches": count}


def serve(subject_of, run, extra=None):
    """The benchmarks' JSON-line protocol (the JVM's JsonLineScript): one request per stdin line,
    one reply per stdout line. "build" makes the subject with subject_of(request); every other op
    but "quit" is run(subject, request); a failure is replied as {"error": ...}."""
    subject = None
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["op"] == "quit":
                break
            if request["op"] == "build":
                subject = subject_of(request)
                reply = dict(extra or {})
                reply.update({
                    "trainable": subject.trainable,
                    "running_stats": subject.running_stats,
                    "torch": torch.__version__,
                    "threads": torch.get_num_threads(),
                })
            else:
                reply = run(subject, request)
        except Exception as e:  # reported to the benchmark, which stops with the message
            reply = {"error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(reply), flush=True)


def main():
    serve(Subject, lambda subject, r: subject.measure(r["kind"], int(r["batch"]), float(r["seconds"])))


if __name__ == "__main__":
    main()
