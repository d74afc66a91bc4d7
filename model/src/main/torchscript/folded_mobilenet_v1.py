"""Writes folded_mobilenet_v1.pt: the inference program Glimpse runs a trained MobileNetV1 with.

The file holds TorchScript code and no weights. At load time Glimpse folds each BatchNorm into the
convolution before it (w * gamma / sqrt(var + eps), beta - mean * gamma / sqrt(var + eps)), hands
the folded weights, the strides and groups from its own layer table, and the classifier to
`setup`, and then runs `forward` once per batch: one call into libtorch per batch instead of one
per operation, with intermediate tensors freed as soon as the next layer has read them.

On the CPU (`mkldnn=True`) the weights are reordered once, at setup, into oneDNN's blocked layout
and every activation stays in it from the first convolution to the pooling: a dense NCHW tensor
would be reordered into that layout and back around every one of the 27 convolutions, which took
more time than the convolutions themselves at width 0.25. (Channels-last dense tensors avoid the
reorders too, but send 1x1 convolutions to oneDNN's brgemm kernels, which divide by zero on VMs
that report no cache sizes: the process dies with SIGFPE.)

`precision="bf16"` casts the folded weights and each batch to bfloat16 (oneDNN's AVX-512 BF16
kernels); biases, pooling and the classifier stay fp32, and logits come out fp32.

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
    paddings: List[int]
    groups: List[int]
    mkldnn: bool
    dtype: int

    def __init__(self):
        super().__init__()
        self.weights = []
        self.biases = []
        self.strides = []
        self.paddings = []
        self.groups = []
        self.mkldnn = False
        self.dtype = torch.float32
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
        precision: str,
        mkldnn: bool,
    ) -> int:
        if precision == "bf16":
            self.dtype = torch.bfloat16
        elif precision == "fp32":
            self.dtype = torch.float32
        else:
            raise ValueError("precision must be fp32 or bf16, got " + precision)
        self.paddings = [w.size(2) // 2 for w in weights]
        if mkldnn:
            weights = [
                torch._C._nn.mkldnn_reorder_conv2d_weight(
                    weights[i].to_mkldnn(self.dtype),
                    [self.paddings[i], self.paddings[i]],
                    [strides[i], strides[i]],
                    [1, 1],
                    groups[i],
                )
                for i in range(len(weights))
            ]
            biases = [b.to_mkldnn() for b in biases]
        else:
            weights = [w.to(self.dtype) for w in weights]
            biases = [b.to(self.dtype) for b in biases]
        self.mkldnn = mkldnn
        self.weights = weights
        self.biases = biases
        self.strides = strides
        self.groups = groups
        self.classifier_weight = classifier_weight
        self.classifier_bias = classifier_bias
        return len(weights)

    def forward(self, x: Tensor) -> Tensor:
        if self.mkldnn:
            x = x.to_mkldnn(self.dtype)
            for i in range(len(self.weights)):
                p = self.paddings[i]
                s = self.strides[i]
                x = torch.mkldnn_convolution(
                    x, self.weights[i], self.biases[i], [p, p], [s, s], [1, 1], self.groups[i]
                )
                x = torch.relu_(x)
            x = torch.nn.functional.adaptive_avg_pool2d(x, [1, 1]).to_dense().float().flatten(1)
        else:
            x = x.to(self.dtype)
            for i in range(len(self.weights)):
                x = torch.conv2d(
                    x, self.weights[i], self.biases[i], self.strides[i], self.paddings[i], 1,
                    self.groups[i]
                )
                x = torch.relu_(x)
            x = x.float().mean([2, 3])
        return torch.nn.functional.linear(x, self.classifier_weight, self.classifier_bias)


if __name__ == "__main__":
    torch.jit.save(torch.jit.script(FoldedMobileNetV1()), sys.argv[1])
