"""Training samples/s per preset and eager inference windows/s of the bundled model.

    cd trainer && /usr/bin/python3 -m benchmarks.speed [--steps 5] [--threads 1 2]

Training: pre-training steps (normalise, split persons, mask, encode, decode, loss, backward,
AdamW) on random 2-person ntu25 windows, after one warm-up step; a sample is one window.
Inference: benchmarks.eager_inference, the one eager baseline the encoder benchmark uses too (the
bundled model's checkpoint when present, real windows, torch x OpenBLAS thread configurations),
batch 1 and 32. Writes the "speed" section of BENCHMARKS.md.
"""

import argparse
import os
import time

import torch

from skelstream_trainer.commands.common import set_threads
from skelstream_trainer.config import load_config
from skelstream_trainer.engine.optim import make_adamw
from skelstream_trainer.engine.pretrain import split_persons
from skelstream_trainer.model_spec import build_backbone_from_spec, build_normalisation, make_spec
from skelstream_trainer.models.flops import encoder_macs
from skelstream_trainer.objectives import build_objective

from . import eager_inference
from .report_sections import machine, replace_section


def windows(batch: int, spec: dict) -> torch.Tensor:
    """[B, T, M, V, 3]: bodies 3 m away with motion; the second person present in half the windows."""
    x = torch.randn(batch, 1, spec["persons"], 25, 3) * 0.3 + torch.tensor([0.0, 0.0, 3.0])
    x = x + torch.cumsum(0.01 * torch.randn(batch, spec["frames"], spec["persons"], 25, 3), dim=1)
    x[::2, :, 1:] = 0.0
    return x


def train_speed(preset: str, batch: int, steps: int) -> dict:
    config = load_config(preset)
    spec = make_spec(config, "ntu25", 2)
    backbone = build_backbone_from_spec(spec)
    normalisation = build_normalisation(spec)
    objective = build_objective(config["pretrain"], backbone.patch_size)
    optimizer = make_adamw(backbone.named_parameters(), 1e-4, 0.05)
    x = windows(batch, spec)

    def step():
        loss = objective(backbone, split_persons(normalisation(x)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    step()  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        step()
    elapsed = time.perf_counter() - start
    return {"preset": preset, "batch": batch, "steps": steps, "samples_per_s": batch * steps / elapsed,
            "gflop_per_window": encoder_macs(backbone, 2)["gflops"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5, help="timed pre-training steps per preset")
    parser.add_argument("--threads", type=int, nargs="+", default=sorted({1, os.cpu_count() or 1}),
                        help="threads for the training measurements (torch and BLAS alike, as the trainer runs)")
    parser.add_argument("--eager-seconds", type=float, default=2.0, help="eager inference: seconds per point")
    args = parser.parse_args()
    where = machine()
    rows_train, rows_infer = [], []
    for threads in args.threads:
        set_threads(threads)
        torch.manual_seed(0)
        for preset, batch in (("tiny", 32), ("base", 4)):
            r = train_speed(preset, batch, args.steps if preset == "tiny" else max(2, args.steps // 2))
            rows_train.append(f"| {preset} | {threads} | {r['batch']} | {r['samples_per_s']:.1f} | "
                              f"{r['gflop_per_window']:.2f} |")
            print(rows_train[-1], flush=True)
    model = next(eager_inference.BUNDLED.glob("*.onnx"), None)
    if model is None:
        raise SystemExit(f"no bundled model in {eager_inference.BUNDLED}: run trainer/scripts/make_bundled_model.sh")
    eager = eager_inference.run(model, eager_inference.default_checkpoint(), "tiny", [1, 32], args.eager_seconds)
    for row in eager["configurations"]:
        rows_infer.append(f"| {model.name} | {row['torch_threads']} | {row['blas_threads'] or 'torch'} | "
                          f"{row['batch']} | {row['windows_per_s']:.1f} |")
    body = "\n".join([
        "## Speed (CPU)", "",
        f"Written by `cd trainer && /usr/bin/python3 -m benchmarks.speed` on: {where}.", "",
        "Pre-training throughput (one sample = one 2-person ntu25 window; mask ratio 0.9, motion-aware masking; "
        "random data, after one warm-up step):", "",
        "| preset | threads | batch | samples/s | encoder GFLOP per window (inference) |", "|---|---|---|---|---|",
        *rows_train, "",
        f"PyTorch eager inference of the bundled model (benchmarks.eager_inference: {eager['torch']}; "
        "median of 5 segments, normalisation included). torch threads x BLAS threads: Debian's torch multiplies "
        "matrices with OpenBLAS, whose pool ignores torch.set_num_threads; one thread means both set to 1:", "",
        "| model | torch threads | BLAS threads | batch | windows/s |", "|---|---|---|---|---|", *rows_infer])
    print(f"wrote {replace_section('speed', body)}")


if __name__ == "__main__":
    main()
