"""Training samples/s per preset and eager inference windows/s of the bundled model.

    cd trainer && /usr/bin/python3 -m benchmarks.speed [--steps 5] [--threads 1 2]

Training: pre-training steps (normalise, split persons, mask, encode, decode, loss, backward,
AdamW) on random 2-person ntu25 windows, after one warm-up step; a sample is one window.
Inference: the bundled model's architecture (read from models/bundled/*.onnx metadata, tiny
preset) in PyTorch eager mode, eval, no_grad, batch 1 and 32; random weights (speed does not
depend on their values). Writes the "speed" section of BENCHMARKS.md.
"""

import argparse
import json
import os
import time
from pathlib import Path

import onnx
import torch

from skelstream_trainer.config import load_config
from skelstream_trainer.engine.optim import make_adamw
from skelstream_trainer.engine.pretrain import split_persons
from skelstream_trainer.model_spec import build_backbone_from_spec, build_classifier_from_spec, build_normalisation, \
    make_spec, with_head
from skelstream_trainer.models.flops import encoder_macs
from skelstream_trainer.objectives import build_objective

from .report_sections import machine, replace_section

BUNDLED = Path(__file__).resolve().parent.parent.parent / "models" / "bundled"


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


def bundled_spec() -> dict:
    model = next(BUNDLED.glob("*.onnx"), None)
    if model is None:
        raise SystemExit(f"no bundled model in {BUNDLED}: run `python3 -m skelstream_trainer bundle` first")
    meta = {p.key: p.value for p in onnx.load(str(model), load_external_data=False).metadata_props}
    config = load_config("tiny")
    config["window"] = {"frames": int(meta["skelstream.frames"]), "fps": float(meta["skelstream.fps"])}
    spec = make_spec(config, meta["skelstream.layout"], int(meta["skelstream.persons"]))
    return with_head(spec, json.loads(meta["skelstream.labels"]), "linear_probe") | {"file": model.name}


@torch.no_grad()
def inference_speed(spec: dict, batch: int, seconds: float = 5.0) -> float:
    model = build_classifier_from_spec(spec).eval()
    x = windows(batch, spec)
    model(x)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        model(x)
        count += 1
    return batch * count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5, help="timed pre-training steps per preset")
    parser.add_argument("--threads", type=int, nargs="+", default=sorted({1, os.cpu_count() or 1}))
    args = parser.parse_args()
    where = machine()
    rows_train, rows_infer = [], []
    spec = bundled_spec()
    for threads in args.threads:
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        for preset, batch in (("tiny", 32), ("base", 4)):
            r = train_speed(preset, batch, args.steps if preset == "tiny" else max(2, args.steps // 2))
            rows_train.append(f"| {preset} | {threads} | {r['batch']} | {r['samples_per_s']:.1f} | "
                              f"{r['gflop_per_window']:.2f} |")
            print(rows_train[-1], flush=True)
        for batch in (1, 32):
            rows_infer.append(f"| {spec['file']} | {threads} | {batch} | {inference_speed(spec, batch):.1f} |")
            print(rows_infer[-1], flush=True)
    body = "\n".join([
        "## Speed (CPU)", "",
        f"Written by `cd trainer && /usr/bin/python3 -m benchmarks.speed` on: {where}.", "",
        "Pre-training throughput (one sample = one 2-person ntu25 window; mask ratio 0.9, motion-aware masking; "
        "random data, after one warm-up step):", "",
        "| preset | threads | batch | samples/s | encoder GFLOP per window (inference) |", "|---|---|---|---|---|",
        *rows_train, "",
        "PyTorch eager inference of the bundled model's architecture (eval, no_grad, normalisation included):", "",
        "| model | threads | batch | windows/s |", "|---|---|---|---|", *rows_infer])
    print(f"wrote {replace_section('speed', body)}")


if __name__ == "__main__":
    main()
