"""Which pre-training objective should SkelStream use? All of them side by side, in one run.

    cd trainer && /usr/bin/python3 -m benchmarks.objectives                 # CPU, tiny, under 30 min on 2 idle cores
    cd trainer && /usr/bin/python3 -m benchmarks.objectives --quick         # smoke run, ~4 min on a loaded 2-core CPU
    cd trainer && /usr/bin/python3 -m benchmarks.objectives --preset base --device cuda --budget-minutes 60

Same synthetic data, same encoder size (the preset), same machine, same wall-clock pre-training
budget per objective: MAMP-motion (the baseline), MAE-coordinates, SkeletonMAE (transformer:
joint+frame masking), graph SkeletonMAE, Skeleton2vec and GFP.
1. Pre-training copies the encoder at 1/6, 1/3, 1/2, 2/3 and all of its budget (the clock is
   paused for the copy; the run itself is not interrupted).
2. Each copy evaluated gets a linear probe (mean of 3 head seeds) and a kNN score on 900 windows
   of held-out subjects, with standard errors: every objective at 1/3 and at the end, the best
   (final probe) at every point.
3. The target, as a user with a third of the time would meet it: the best objective pre-trained
   again with a third of the budget, its warm-up and cosine decay fitted to that (the 1/3
   snapshot of the long run is mid-schedule, lr not decayed), its final probe against the
   baseline's final one; both measures are reported, with whether the gap is within noise.
4. Semi-supervised protocol (the papers'): the best two encoders, and a random init of the same
   architecture, fine-tuned whole with a head on 1 % and 10 % of the labels, equal time each.
Writes results.json and objectives.png into --out, and the "objectives" section of BENCHMARKS.md
(with the plot copied beside it).
"""

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any, Dict, Optional

import numpy as np
import torch

from skelstream_trainer.commands.common import make_clips, make_loader, seed_everything, set_threads
from skelstream_trainer.config import load_config
from skelstream_trainer.data import detect_format, read_sequences, write_jsonl
from skelstream_trainer.engine.optim import make_adamw
from skelstream_trainer.engine.pretrain import pretrain_one_epoch
from skelstream_trainer.engine.probe import train_linear_head
from skelstream_trainer.engine.schedule import BudgetFit, schedule_from_config
from skelstream_trainer.evaluation import embed_dataset, knn_accuracy
from skelstream_trainer.model_spec import (build_backbone_from_spec, build_classifier_from_spec, build_normalisation,
                                           make_spec, with_head)
from skelstream_trainer.objectives import build_objective
from skelstream_trainer.synth import SynthConfig, generate

from .objectives_report import (CURVE, EVERYONE, bundled_suggestion, efficiency_target, plot, report,
                                third_budget_objective)
from .report_sections import BENCHMARKS, machine, replace_section
from .semi_supervised import FRACTIONS, finetune_accuracy, snapshot_of
from .training_clock import SnapshotClock, TrainingClock

TRAINER = Path(__file__).resolve().parent.parent
OBJECTIVES_DIR = TRAINER / "configs" / "objectives"
BASELINE = "mamp_motion"
# The full default run: 6 x 2 min of pre-training, a 40 s re-run of the best with a third of the budget,
# 16 evaluations, 6 (up to 8) fine-tunes of 30 s. Measured on a busy 2-core machine with 1300 windows: 3.8 min for
# 15 evaluations, 2.8 min for 6 fine-tunes with their tests, 18.7 min in all; with 1900 windows (900 test) the
# evaluations grow by about half: ~22 min expected on 2 idle cores, under 30 at worst.
# BENCHMARKS.md's objectives section keeps the measured breakdown of each run.
FULL_BUDGET_MINUTES, FULL_FINETUNE_SECONDS = 12.0, 30.0
QUICK_BUDGET_MINUTES, QUICK_FINETUNE_SECONDS = 1.5, 8.0
# Held-out synthetic test set: 900 windows from 12 unseen subjects (one standard error ~1.6 points near 65 %;
# 300 windows from 8 subjects gave ~2.7, too coarse to tell a third-of-the-time target from noise).
FULL_DATA = dict(train_size=1000, test_size=900, train_subjects=20, test_subjects=12)
QUICK_DATA = dict(train_size=120, test_size=48, train_subjects=8, test_subjects=4)
PROBE_SEEDS = 3   # the probe head is cheap (cached features): its accuracy is the mean over this many seeds


def objective_configs(preset: str):
    """name -> (config file, overrides). The two existing objectives are the preset with overrides."""
    return {
        "mamp_motion": (preset, ["pretrain.masking={name: motion_aware, temperature: 0.75}", "pretrain.target=motion"]),
        "mae_coordinates": (preset, ["pretrain.masking=random", "pretrain.target=coordinates"]),
        "skeleton_mae": (str(OBJECTIVES_DIR / f"skeleton_mae-{preset}.yaml"), []),
        "graph_skeleton_mae": (str(OBJECTIVES_DIR / f"graph_skeleton_mae-{preset}.yaml"), []),
        "skeleton2vec": (str(OBJECTIVES_DIR / f"skeleton2vec-{preset}.yaml"), []),
        "gfp": (str(OBJECTIVES_DIR / f"gfp-{preset}.yaml"), []),
    }


def features(config, spec, backbone, train_seqs, test_seqs, labels, device):
    classifier = build_classifier_from_spec(with_head(spec, labels, "linear_probe"), backbone=backbone).to(device)
    loader = lambda seqs: make_loader(make_clips(config, spec, seqs, train=False, seed=0, labels=labels),  # noqa: E731
                                      64, False, 0)
    train_f, train_y = embed_dataset(classifier, loader(train_seqs), device, "embed train")
    test_f, test_y = embed_dataset(classifier, loader(test_seqs), device, "embed test")
    return train_f, train_y, test_f, test_y, classifier


def probe_accuracy(config, classifier, train_f, train_y, test_f, test_y, seed=0, seeds=PROBE_SEEDS) -> float:
    """Test top-1 of a linear head on the frozen features, the mean over `seeds` head initialisations and
    data orders (seed, seed + 1, ...): the head's own randomness is averaged out, the test set's is not."""
    head = classifier.head.cpu()
    cfg = config["probe"]
    accuracies = []
    for s in range(seed, seed + seeds):
        torch.manual_seed(s)
        head.linear.reset_parameters()
        head.norm.reset_running_stats()
        train_linear_head(head, train_f, train_y, int(cfg["epochs"]), int(cfg["batch_size"]), float(cfg["lr"]),
                          float(cfg.get("weight_decay", 0.0)), s, TrainingClock(float("inf")))
        with torch.no_grad():
            accuracies.append(float((head(test_f).argmax(1) == test_y).float().mean()))
    return float(np.mean(accuracies))


def pretraining_setup(config, train_seqs, seed: int, device, steps: Optional[int] = None):
    """Everything one pre-training run needs, built the same way for every run of the benchmarks (seeded):
    (spec, backbone, normalisation, objective, dataset, loader, optimizer, schedule). The lr schedule follows
    the time-budget rule (engine.schedule.schedule_from_config) and spans `steps` where the run's steps are
    known (a step budget); otherwise the config's epochs, for a BudgetFit to re-fit to the clock."""
    spec = make_spec(config, train_seqs[0].layout, max(s.num_persons for s in train_seqs), "synth")
    seed_everything(seed)
    backbone = build_backbone_from_spec(spec).to(device)
    normalisation = build_normalisation(spec).to(device)
    cfg = config["pretrain"]
    objective = build_objective(cfg, backbone.patch_size)
    spec["objective"] = objective.describe()
    dataset = make_clips(config, spec, train_seqs, train=True, seed=seed)
    loader = make_loader(dataset, int(cfg["batch_size"]), shuffle=True, seed=seed, drop_last=True)
    optimizer = make_adamw(backbone.named_parameters(), float(cfg["lr"]), float(cfg["weight_decay"]))
    schedule = schedule_from_config(cfg, len(loader), int(cfg["epochs"]), time_budget=True, total_steps=steps)
    return spec, backbone, normalisation, objective, dataset, loader, optimizer, schedule


def pretrain_with_snapshots(name, config, data, seconds, device, seed, log) -> Dict[str, Any]:
    """One objective for `seconds` of training, the encoder copied at each share in CURVE."""
    spec, backbone, normalisation, objective, dataset, loader, optimizer, schedule = pretraining_setup(
        config, data[0], seed, device)
    clock = SnapshotClock(seconds, CURVE, lambda: snapshot_of(backbone))
    # the schedule's end follows the run's pace on the training clock (the same rule as `pretrain --time-budget`)
    fit = BudgetFit(schedule, clock, int(config["pretrain"]["epochs"]) * len(loader))
    epochs, steps, epoch_seconds = 0, 0, []
    while not clock.spent():
        dataset.set_epoch(epochs)
        clock.resume()
        started = time.monotonic()
        stats = pretrain_one_epoch(backbone, normalisation, objective, loader, optimizer, epochs,
                                   schedule.total // len(loader), schedule, device, clock, fit)
        clock.pause()
        steps += int(stats["steps"])
        if not stats["stopped"]:
            epochs += 1
            clock.epochs_done = epochs
            epoch_seconds.append(time.monotonic() - started)
    log(f"  {name}: {epochs} epochs, {steps} steps in {clock.elapsed():.0f} s; "
        f"snapshots at {[p['train_seconds'] for p in clock.snapshots]} s")
    return {"config": config, "spec": spec, "snapshots": clock.snapshots,
            "result": {"objective": spec["objective"], "epochs": epochs,
                       "samples_per_s": round(steps * loader.batch_size / max(clock.elapsed(), 1e-9), 1),
                       "seconds_per_epoch": round(float(np.mean(epoch_seconds)), 2) if epoch_seconds else None,
                       "first_epoch_seconds": round(epoch_seconds[0], 2) if epoch_seconds else None,
                       "steps": steps, "schedule_steps": schedule.total, "budget_fits": fit.fits,
                       "collapse": objective.statistics() if hasattr(objective, "statistics") else None,
                       "curve": []}}


def evaluate_snapshot(run, snapshot, data, device, seed) -> Dict[str, Any]:
    """Linear probe and kNN top-1 of the encoder as it was at this snapshot."""
    train_seqs, test_seqs, labels = data
    config, spec = run["config"], run["spec"]
    backbone = build_backbone_from_spec(spec)
    backbone.load_state_dict(snapshot["state"])
    train_f, train_y, test_f, test_y, classifier = features(config, spec, backbone.to(device), train_seqs,
                                                            test_seqs, labels, device)
    return {"fraction": round(snapshot["fraction"], 4), "train_seconds": round(snapshot["train_seconds"], 1),
            "epochs": snapshot["epochs"],
            "probe_top1": probe_accuracy(config, classifier, train_f, train_y, test_f, test_y, seed),
            "knn_top1": knn_accuracy(train_f, train_y, test_f, test_y, k=int(config["evaluate"]["knn_k"]))}


def evaluate_points(name, run, fractions, data, device, seed, log) -> None:
    """Adds the curve points at `fractions` (shares of the budget) that are not there yet."""
    result = run["result"]
    done = {p["fraction"] for p in result["curve"]}
    for snapshot in run["snapshots"]:
        if any(abs(snapshot["fraction"] - f) < 1e-9 for f in fractions) and round(snapshot["fraction"], 4) not in done:
            point = evaluate_snapshot(run, snapshot, data, device, seed)
            result["curve"].append(point)
            log(f"  {name} at {point['fraction']:.3f} of the budget: {point}")
    result["curve"].sort(key=lambda p: p["fraction"])
    final = result["curve"][-1]
    result["probe_top1"], result["knn_top1"] = final["probe_top1"], final["knn_top1"]


def semi_supervised(runs, ranked, data, seconds, device, seed, log) -> Dict[str, Dict[str, Any]]:
    """The best two encoders and a random init of each of their encoder families, fine-tuned on
    1 % and 10 % of the labels for `seconds` each."""
    train_seqs, test_seqs, labels = data
    encoders = [(name, runs[name]["config"], runs[name]["spec"], runs[name]["snapshots"][-1]["state"])
                for name in ranked[:2]]
    families = {}
    for name in ranked[:2]:
        families.setdefault(runs[name]["spec"]["model"]["name"], name)
    for family, name in families.items():
        spec = dict(runs[name]["spec"], objective="none (random init)")
        encoders.append((f"random init ({family})", runs[name]["config"], spec, None))
    table = {}
    for label, config, spec, state in encoders:
        table[label] = {}
        for fraction in FRACTIONS:
            row = finetune_accuracy(config, spec, state, train_seqs, test_seqs, labels, fraction, seconds, device, seed)
            table[label][f"{int(round(fraction * 100))}pct"] = row
            log(f"  fine-tune {label} on {fraction:.0%} of labels: {row}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="tiny", choices=["tiny", "base"])
    parser.add_argument("--budget-minutes", type=float, default=None,
                        help=f"total pre-training minutes, shared equally by the objectives (default "
                             f"{FULL_BUDGET_MINUTES}, --quick {QUICK_BUDGET_MINUTES}; evaluation extra)")
    parser.add_argument("--finetune-seconds", type=float, default=None,
                        help=f"training seconds of each semi-supervised fine-tune (default {FULL_FINETUNE_SECONDS}, "
                             f"--quick {QUICK_FINETUNE_SECONDS})")
    parser.add_argument("--quick", action="store_true", help="smoke run: small data, ~15 s per objective")
    parser.add_argument("--only", default=None, help="comma-separated objectives (default: all)")
    parser.add_argument("--train"), parser.add_argument("--test")
    parser.add_argument("--out", default=None)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-report", action="store_true", help="do not write BENCHMARKS.md")
    args = parser.parse_args()
    set_threads(args.threads)
    where = machine()
    out = Path(args.out or TRAINER / "runs" / ("objectives-quick" if args.quick else "objectives"))
    out.mkdir(parents=True, exist_ok=True)
    log_file = (out / "log.txt").open("w")

    def log(message):
        print(message, flush=True)
        log_file.write(message + "\n")
        log_file.flush()

    if args.train and args.test:
        train_path, test_path = args.train, args.test
    else:   # synthetic data, generated once into the out folder
        # every evaluation embeds every window: with 1000 + 900 windows the full run's 16 evaluations,
        # 6 x 2 min + 40 s of pre-training and 6-8 fine-tunes of 30 s fit in 30 minutes on 2 idle cores
        train_path, test_path = synthetic_data(out, args.seed, QUICK_DATA if args.quick else FULL_DATA)
    data = read_data(train_path, test_path)
    train_seqs, test_seqs, labels = data
    configs = objective_configs(args.preset)
    names = args.only.split(",") if args.only else list(configs)
    unknown = sorted(set(names) - set(configs))
    if unknown:
        parser.error(f"--only: unknown objectives {unknown}; known: {', '.join(configs)}")
    budget_minutes = args.budget_minutes or (QUICK_BUDGET_MINUTES if args.quick else FULL_BUDGET_MINUTES)
    finetune_seconds = args.finetune_seconds or (QUICK_FINETUNE_SECONDS if args.quick else FULL_FINETUNE_SECONDS)
    seconds = 60.0 * budget_minutes / len(names)
    device = torch.device(args.device)
    log(f"objectives benchmark on {where}; {len(train_seqs)} train / {len(test_seqs)} test sequences; "
        f"{seconds:.0f} s pre-training per objective, {finetune_seconds:.0f} s per fine-tune")
    started, cpu = time.monotonic(), time.process_time()
    runs, timings = {}, {}
    for name in names:
        ref, overrides = configs[name]
        runs[name] = pretrain_with_snapshots(name, load_config(ref, overrides), data, seconds, device, args.seed, log)
    timings["pretraining_minutes"] = round((time.monotonic() - started) / 60, 2)

    # CPU seconds beside wall seconds: on a busy machine they tell what an idle one would take
    mark, cpu_mark = time.monotonic(), time.process_time()
    for name in names:   # a third of the budget (the target's question) and the end, for everyone
        evaluate_points(name, runs[name], EVERYONE, data, device, args.seed, log)
    ranked = sorted(names, key=lambda n: (runs[n]["result"]["probe_top1"], runs[n]["result"]["knn_top1"]),
                    reverse=True)
    evaluate_points(ranked[0], runs[ranked[0]], CURVE, data, device, args.seed, log)   # the best: every point
    evaluations = sum(len(runs[n]["result"]["curve"]) for n in names)
    timings["evaluation_minutes"] = round((time.monotonic() - mark) / 60, 2)
    timings["evaluations"] = evaluations
    timings["evaluation_cpu_minutes"] = round((time.process_time() - cpu_mark) / 60, 2)

    # the target as a user with a third of the time meets it: a run of its own with a third of the
    # budget (warm-up and cosine decay fitted to it), not a mid-schedule snapshot of the long run
    mark = time.monotonic()
    third_run, third_name = None, third_budget_objective(ranked, BASELINE)
    if third_name is not None:
        ref, overrides = configs[third_name]
        log(f"{third_name} again with a third of the budget ({seconds / 3:.0f} s), its own schedule:")
        short = pretrain_with_snapshots(third_name, load_config(ref, overrides), data, seconds / 3, device, args.seed,
                                        log)
        point = evaluate_snapshot(short, short["snapshots"][-1], data, device, args.seed)
        third_run = {"objective": third_name, "budget_seconds": round(seconds / 3, 1),
                     "train_seconds": point["train_seconds"], "epochs": short["result"]["epochs"],
                     "steps": short["result"]["steps"], "samples_per_s": short["result"]["samples_per_s"],
                     "first_epoch_seconds": short["result"]["first_epoch_seconds"],
                     "probe_top1": point["probe_top1"], "knn_top1": point["knn_top1"]}
        log(f"  {third_name} with a third of the budget: {third_run}")
    timings["third_budget_minutes"] = round((time.monotonic() - mark) / 60, 2)

    mark, cpu_mark = time.monotonic(), time.process_time()
    finetunes = semi_supervised(runs, ranked, data, finetune_seconds, device, args.seed, log)
    timings["finetune_minutes"] = round((time.monotonic() - mark) / 60, 2)
    timings["finetunes"] = 2 * len(finetunes)
    timings["finetune_cpu_minutes"] = round((time.process_time() - cpu_mark) / 60, 2)
    timings["total_cpu_minutes"] = round((time.process_time() - cpu) / 60, 2)

    results = {n: runs[n]["result"] for n in names}
    summary = {"machine": where, "preset": args.preset, "quick": args.quick, "budget_minutes": budget_minutes,
               "seconds_per_objective": seconds, "finetune_seconds": finetune_seconds,
               "minutes_total": round((time.monotonic() - started) / 60, 1), "timings": timings,
               "train": str(train_path), "test": str(test_path), "test_windows": len(test_seqs),
               "probe_seeds": PROBE_SEEDS, "results": results, "ranking": ranked, "semi_supervised": finetunes,
               "third_budget_run": third_run,
               "target": efficiency_target(results, BASELINE, ranked[0], len(test_seqs),
                                           third_run),
               "bundled": bundled_suggestion(results, ranked, finetunes, len(test_seqs), current_bundled_objective())}
    (out / "results.json").write_text(json.dumps(summary, indent=2) + "\n")
    plot(results, out / "objectives.png", third_run)
    log(json.dumps({n: {k: results[n][k] for k in ("probe_top1", "knn_top1", "samples_per_s")} for n in ranked}))
    log(f"timings: {timings}; total {summary['minutes_total']} min")
    if not args.no_report:
        png = BENCHMARKS.parent / "BENCHMARKS-objectives.png"
        shutil.copyfile(out / "objectives.png", png)
        print(f"wrote {replace_section('objectives', report(summary, png.name))}")


def synthetic_data(out: Path, seed: int, size: Dict[str, int]):
    """The synthetic train/test files for this seed and size, generated into `out` unless already there."""
    train_path, test_path = synthetic_paths(out, seed, size)
    if not (train_path.exists() and test_path.exists()):
        train, test = generate(SynthConfig(seed=seed, **size))
        write_jsonl(train, train_path)
        write_jsonl(test, test_path)
    return train_path, test_path


def read_data(train_path, test_path):
    """(train sequences, test sequences, sorted labels of the training set), as every run here uses them."""
    train_seqs = list(read_sequences(str(train_path), detect_format(str(train_path))))
    test_seqs = list(read_sequences(str(test_path), detect_format(str(test_path))))
    return train_seqs, test_seqs, sorted({s.label for s in train_seqs})


def synthetic_paths(out: Path, seed: int, size: Dict[str, int]):
    """File names that say what was generated, so a changed size or seed never reuses older data."""
    train = f"synth-s{seed}-train{size['train_size']}x{size['train_subjects']}.jsonl.gz"
    test = f"synth-s{seed}-test{size['test_size']}x{size['test_subjects']}.jsonl.gz"
    return out / train, out / test


BUNDLED_METRICS = Path(__file__).resolve().parents[2] / "models" / "bundled" / "metrics.json"


def current_bundled_objective(metrics: Path = BUNDLED_METRICS) -> str:
    """The objective the committed bundled model was pre-trained with, as its metrics.json records it."""
    try:
        return json.loads(metrics.read_text())["pretrain"]["objective"]
    except (OSError, ValueError, KeyError, TypeError):
        return f"unknown: {metrics} missing or without pretrain.objective"


if __name__ == "__main__":
    main()
