"""The PyTorch side of the GPU kit's `bench engine`: the same MobileNetV1 as Glimpse's
(pytorch_engine.py, beside this file), as a careful PyTorch user runs it on the same GPU.

  torch_gpu_bench.py measure --device cuda --batches 1,8,32,128,256 --dtypes fp32,fp16,bf16
                             --seconds 0.3 --budget 120
      prints one JSON object: torch, device, and a row per (form, dtype, batch) with images/s
  torch_gpu_bench.py compare CPU.json GPU.json TOLERANCE
      compares two KitProbe classify results (same images): top-1s equal, probabilities within
      TOLERANCE; exit 1 otherwise

Forms: eager (model.eval()), torchscript (torch.jit.trace, then
torch.jit.freeze) and compile (torch.compile, default mode). Each batch starts as float32 on the
host and ends as softmax probabilities on the host, as Glimpse's classify does (copy in, forward,
softmax, copy out); "device_images_per_s" is the forward and softmax alone, the input already on
the device. Runs under torch.no_grad(). Random weights: throughput does not depend on them. torch.compile compiles once per
(dtype, batch); it runs last, largest batches first, while --budget seconds last.
"""

import argparse
import copy
import json
import sys
import time

# torch and pytorch_engine (beside this file) are imported by measure() only: compare needs neither.
torch = None
DTYPES = {}


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(step, device, seconds):
    """Runs step() at least twice and for at least `seconds`; returns calls per second."""
    for _ in range(3):  # warm-up: cuDNN picks its algorithms, TorchScript profiles
        step()
    sync(device)
    count = 0
    start = time.perf_counter()
    while True:
        step()
        count += 1
        if count >= 2 and time.perf_counter() - start >= seconds:
            break
    sync(device)
    return count / (time.perf_counter() - start)


def measure_form(model, dtype, batch, device, seconds):
    host = torch.randn(batch, 3, 224, 224)
    on_device = host.to(device=device, dtype=dtype)

    def host_to_host():
        x = host.to(device=device, non_blocking=False).to(dtype)
        return model(x).float().softmax(1).cpu()

    def device_only():
        return model(on_device).float().softmax(1)

    return {
        "images_per_s": batch * timed(host_to_host, device, seconds),
        "device_images_per_s": batch * timed(device_only, device, seconds),
    }


def row_of(form, dtype, batch, deadline, run):
    """One result row: run()'s numbers, or why there are none (budget spent, an error)."""
    row = {"form": form, "dtype": dtype, "batch": batch}
    if time.monotonic() > deadline:
        row["skipped"] = "budget"
    else:
        try:
            row.update(run())
        except Exception as e:  # reported, the other rows stand
            row["error"] = "%s: %s" % (type(e).__name__, e)
    print(json.dumps(row), file=sys.stderr, flush=True)
    return row


def compile_and_measure(compiled, dtype, batch, device, seconds):
    """torch.compile compiles on the first call for each shape: timed apart from the rounds."""
    begin = time.perf_counter()
    compiled(torch.randn(batch, 3, 224, 224, device=device, dtype=dtype))
    sync(device)
    result = {"compile_s": time.perf_counter() - begin}
    result.update(measure_form(compiled, dtype, batch, device, seconds))
    return result


def measure(args):
    global torch
    import torch
    from pytorch_engine import MobileNetV1

    DTYPES.update({"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16})
    device = torch.device(args.device)
    torch.backends.cudnn.benchmark = True
    torch.manual_seed(0)
    batches = [int(b) for b in args.batches.split(",")]
    dtypes = args.dtypes.split(",")
    deadline = time.monotonic() + args.budget
    base = MobileNetV1(1.0, 3, 10).eval()
    rows = []
    forms = {}
    with torch.no_grad():
        for name in dtypes:
            dtype = DTYPES[name]
            try:
                model = copy.deepcopy(base).to(device=device, dtype=dtype)
                example = torch.randn(1, 3, 224, 224, device=device, dtype=dtype)
                forms[(name, "eager")] = model
                forms[(name, "torchscript")] = torch.jit.freeze(torch.jit.trace(model, example))
            except Exception as e:  # e.g. fp16 convolutions on an old torch's CPU
                rows.append({"dtype": name, "error": "%s: %s" % (type(e).__name__, e)})
                continue
            for form in ("eager", "torchscript"):
                for batch in batches:
                    rows.append(row_of(form, name, batch, deadline,
                                       lambda: measure_form(forms[(name, form)], dtype, batch, device, args.seconds)))
        if args.compile and hasattr(torch, "compile"):
            for name in dtypes:
                if (name, "eager") not in forms:
                    continue
                compiled = torch.compile(forms[(name, "eager")], dynamic=False)
                for batch in sorted(batches, reverse=True):
                    rows.append(row_of("compile", name, batch, deadline,
                                       lambda: compile_and_measure(compiled, DTYPES[name], batch, device, args.seconds)))
    report = {
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "threads": torch.get_num_threads(),
        "model": "MobileNetV1 alpha 1.0, 3x224x224, 10 classes",
        "results": rows,
    }
    print(json.dumps(report))


def compare(args):
    """Top-1s equal and probabilities within the tolerance, image by image."""
    first = json.load(open(args.first))["predictions"]
    second = json.load(open(args.second))["predictions"]
    worst = 0.0
    problems = []
    if [p["file"] for p in first] != [p["file"] for p in second]:
        problems.append("the two runs classified different images")
    for a, b in zip(first, second):
        gap = max(abs(x - y) for x, y in zip(a["probabilities"], b["probabilities"]))
        worst = max(worst, gap)
        if a["top1"] != b["top1"] or gap > args.tolerance:
            problems.append("%s: top-1 %d vs %d, largest gap %.2g" % (a["file"], a["top1"], b["top1"], gap))
    print(json.dumps({"images": len(first), "largest_gap": worst, "tolerance": args.tolerance,
                      "agree": not problems, "problems": problems}))
    return 0 if not problems else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    m = commands.add_parser("measure")
    m.add_argument("--device", default="cuda")
    m.add_argument("--batches", default="1,8,32,128,256")
    m.add_argument("--dtypes", default="fp32,fp16,bf16")
    m.add_argument("--seconds", type=float, default=0.3)
    m.add_argument("--budget", type=float, default=120)
    m.add_argument("--no-compile", dest="compile", action="store_false")
    c = commands.add_parser("compare")
    c.add_argument("first")
    c.add_argument("second")
    c.add_argument("tolerance", type=float)
    args = parser.parse_args()
    if args.command == "measure":
        measure(args)
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
