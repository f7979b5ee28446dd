"""A/B of one objective's config at a fixed number of training samples: the tuning runs behind the
comments in configs/objectives/*.yaml, reproducible on a busy machine (a step budget, not a clock).

    cd trainer && /usr/bin/python3 -m benchmarks.objective_tuning --objective gfp --samples 15400 \
        --variant lr1e-3= --variant lr2e-3=pretrain.lr=2e-3 [--data-seed 1] [--threads 1]

--samples 15400 is what GFP trains on in 40 s on 2 idle cores (385 samples/s), a third of the
objectives benchmark's 120 s; 12000 is what the baseline (mamp_motion) trains on in 120 s. Each
variant: the benchmark's objective config plus the variant's --set overrides, its cosine schedule
fitted to the samples (warm-up capped as under a time budget), then the benchmark's evaluation
(linear probe, mean of 3 head seeds, and kNN) on the benchmark's synthetic data (--data-seed 0 is
the benchmark's own set; tune on another seed too). One JSON line per variant on stdout and in --out.
"""

import argparse
import json
import time
from pathlib import Path

import torch

from skelstream_trainer.commands.common import set_threads
from skelstream_trainer.config import load_config
from skelstream_trainer.engine.pretrain import pretrain_one_epoch

from .objectives import (FULL_DATA, TRAINER, evaluate_snapshot, objective_configs, pretraining_setup, read_data,
                         synthetic_data)
from .objectives_report import standard_error
from .semi_supervised import snapshot_of
from .training_clock import StepBudget


def parse_variant(text: str):
    """"name=key=value;key=value" -> (name, ["key=value", ...]); "name=" is the config unchanged.
    ";" separates overrides (a YAML value may hold commas)."""
    name, _, sets = text.partition("=")
    if not name:
        raise argparse.ArgumentTypeError(f"--variant {text!r}: expected NAME=[section.key=value;...]")
    return name, [s.strip() for s in sets.split(";") if s.strip()]


def train_variant(config, data, samples: int, seed: int, device):
    steps = samples // int(config["pretrain"]["batch_size"])
    spec, backbone, normalisation, objective, dataset, loader, optimizer, schedule = pretraining_setup(
        config, data[0], seed, device, steps=steps)   # the schedule ends when the samples do
    budget = StepBudget(steps)
    epoch, loss = 0, float("nan")
    while budget.done < budget.steps:
        dataset.set_epoch(epoch)
        loss = pretrain_one_epoch(backbone, normalisation, objective, loader, optimizer, epoch,
                                  -(-steps // len(loader)), schedule, device, budget)["loss"]
        epoch += 1
    run = {"config": config, "spec": spec}
    point = evaluate_snapshot(run, {"fraction": 1.0, "train_seconds": 0.0, "epochs": epoch,
                                    "state": snapshot_of(backbone)}, data, device, seed)
    return {"objective": spec["objective"], "steps": budget.steps, "epochs": epoch, "final_loss": round(loss, 4),
            "probe_top1": point["probe_top1"], "knn_top1": point["knn_top1"],
            "collapse": objective.statistics() if hasattr(objective, "statistics") else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objective", required=True, help="a name from benchmarks.objectives (gfp, mamp_motion, ...)")
    parser.add_argument("--samples", type=int, required=True, help="training samples per variant (steps x batch)")
    parser.add_argument("--variant", type=parse_variant, action="append", required=True)
    parser.add_argument("--preset", default="tiny", choices=["tiny", "base"])
    parser.add_argument("--data-seed", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--out", default=str(TRAINER / "runs" / "objective-tuning"))
    args = parser.parse_args()
    set_threads(args.threads)
    configs = objective_configs(args.preset)
    if args.objective not in configs:
        parser.error(f"--objective {args.objective}: known: {', '.join(configs)}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = read_data(*synthetic_data(out, args.data_seed, FULL_DATA))
    ref, base = configs[args.objective]
    for name, overrides in args.variant:
        started = time.monotonic()
        config = load_config(ref, base + overrides)
        row = train_variant(config, data, args.samples, args.seed, torch.device(args.device))
        row.update(variant=name, overrides=overrides, data_seed=args.data_seed, seed=args.seed, samples=args.samples,
                   probe_se=round(standard_error(row["probe_top1"], len(data[1])), 4),
                   wall_seconds=round(time.monotonic() - started, 1))
        line = json.dumps(row)
        print(line, flush=True)
        with (out / "results.jsonl").open("a") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
