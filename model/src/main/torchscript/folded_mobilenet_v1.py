"""Writes folded_mobilenet_v1.pt: the inference program Glimpse runs a trained MobileNetV1 with.

The file holds TorchScript code and no weights. At load time Glimpse folds each BatchNorm into the
convolution before it (w * gamma / sqrt(var + eps), beta - mean * gamma / sqrt(var + eps)), hands
the folded weights, the strides and groups from its own layer table, and the classifier to
`setup`, and then runs `forward` once per batch: one call into libtorch per batch instead of one
per operation, with intermediate tensors freed as soon as the next layer has read them.

Regenerate after changing it (Debian's python3-torch 1.13; libtorch 2.7.1 in DJL loads it):
  /usr/bin/python3 model/src/main/torchscript/folded_mobilenet_v1.py \
      model/src/main/resources/io/glimpse/model/mobilenet/folded_mobilenet_v1.pt
FoldedMobileNetTest checks that the committed file is what this script writes.
"""

import sys
from typing import List

import torch
from torch import Tensor


class FoldedMobileNetV1(torch.nn.Module):
    weights: List[Tensor]
    biases: List[Tensor]
    strides: List[int]
    groups: List[int]

    def __init__(self):
        super().__init__()
        self.weights = []
        self.biases = []
        self.strides = []
        self.groups = []
        self.classifier_weight = torch.zeros(0)
        self.classifier_bias = torch.zeros(0)

    @torch.jit.export
    def setup(
        self,
        weights: List[Tensor],
        biases: List[Tensor],
        strides: List[int],
        groups: List[int],
        classifier_weight: Tensor,
        classifier_bias: Tensor,
    ) -> int:
        self.weights = weights
        self.biases = biases
        self.strides = strides
        self.groups = groups
        self.classifier_weight = classifier_weight
        self.classifier_bias = classifier_bias
        return len(weights)

    def forward(self, x: Tensor) -> Tensor:
        for i in range(len(self.weights)):
            weight = self.weights[i]
            padding = weight.size(2) // 2
            x = torch.conv2d(x, weight, self.biases[i], self.strides[i], padding, 1, self.groups[i])
            x = torch.relu_(x)
        x = x.mean([2, 3])
        return torch.nn.functional.linear(x, self.classifier_weight, self.classifier_bias)


if __name__ == "__main__":
    torch.jit.save(torch.jit.script(FoldedMobileNetV1()), sys.argv[1])
