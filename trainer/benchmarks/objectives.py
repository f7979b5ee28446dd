"""Which pre-training objective should SkelStream use? All of them side by side, in one run.

    cd trainer && /usr/bin/python3 -m benchmarks.objectives                 # CPU, tiny, under 30 min on 2 idle cores
    cd trainer && /usr/bin/python3 -m benchmarks.objectives --quick         # smoke run, ~5 min on a loaded 2-core CPU
    cd trainer && /usr/bin/python3 -m benchmarks.objectives --preset base --device cuda --budget-minutes 60

Same synthetic data, same encoder size (the preset), same machine, same wall-clock training
budget per objective: MAMP-motion (the baseline), MAE-coordinates, SkeletonMAE (transformer:
joint+frame masking), graph SkeletonMAE, Skeleton2vec and GFP. At evaluation points (25, 50,
100 % of the budget; evaluation time not counted) the frozen encoder gets a linear probe
and a kNN score on held-out subjects. Then, for the best two, the same probe with 1 % and
10 % of the labels. Writes results.json and objectives.png into --out, and the "objectives"
section of BENCHMARKS.md (with the plot copied beside it).
"""

import argparse
import json
import shutil
import time
from pathlib import Path

import numpy as np
import torch

from skelstream_trainer.commands.common import make_clips, make_loader, seed_everything, set_threads
from skelstream_trainer.config import load_config
from skelstream_trainer.data import detect_format, read_sequences, write_jsonl
from skelstream_trainer.engine.optim import make_adamw
from skelstream_trainer.engine.pretrain import pretrain_one_epoch
from skelstream_trainer.engine.probe import train_linear_head
from skelstream_trainer.evaluation import embed_dataset, knn_accuracy
from skelstream_trainer.model_spec import (build_backbone_from_spec, build_classifier_from_spec, build_normalisation,
                                           make_spec, with_head)
from skelstream_trainer.objectives import build_objective
from skelstream_trainer.synth import SynthConfig, generate

from .report_sections import BENCHMARKS, machine, replace_section

TRAINER = Path(__file__).resolve().parent.parent
OBJECTIVES_DIR = TRAINER / "configs" / "objectives"
BASELINE = "mamp_motion"


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


class TrainingClock:
    """A budget on training time only: evaluation pauses it."""

    def __init__(self, seconds: float):
        self.limit, self.used, self.since = seconds, 0.0, None

    def resume(self):
        self.since = time.monotonic()

    def pause(self):
        self.used += time.monotonic() - self.since
        self.since = None

    def elapsed(self) -> float:
        return self.used + (time.monotonic() - self.since if self.since is not None else 0.0)

    def spent(self) -> bool:
        return self.elapsed() >= self.limit


def features(config, spec, backbone, train_seqs, test_seqs, labels, device):
    classifier = build_classifier_from_spec(with_head(spec, labels, "linear_probe"), backbone=backbone).to(device)
    loader = lambda seqs: make_loader(make_clips(config, spec, seqs, train=False, seed=0, labels=labels),  # noqa: E731
                                      64, False, 0)
    train_f, train_y = embed_dataset(classifier, loader(train_seqs), device, "embed train")
    test_f, test_y = embed_dataset(classifier, loader(test_seqs), device, "embed test")
    return train_f, train_y, test_f, test_y, classifier


def probe_accuracy(config, classifier, train_f, train_y, test_f, test_y, seed=0) -> float:
    head = classifier.head.cpu()
    cfg = config["probe"]
    torch.nn.init.zeros_(head.linear.bias)
    head.linear.reset_parameters()
    head.norm.reset_running_stats()
    train_linear_head(head, train_f, train_y, int(cfg["epochs"]), int(cfg["batch_size"]), float(cfg["lr"]),
                      float(cfg.get("weight_decay", 0.0)), seed, TrainingClock(float("inf")))
    with torch.no_grad():
        return float((head(test_f).argmax(1) == test_y).float().mean())


def stratified(labels: torch.Tensor, fraction: float, seed: int) -> torch.Tensor:
    rng = np.random.default_rng(seed)
    chosen = []
    for c in sorted(set(labels.tolist())):
        idx = np.flatnonzero(labels.numpy() == c)
        chosen.extend(rng.choice(idx, size=max(2 if len(idx) > 1 else 1, int(round(fraction * len(idx)))),
                                 replace=False).tolist())
    return torch.tensor(sorted(chosen))


def run_objective(name, config_ref, overrides, data, seconds, device, seed, log, fractions=(0.25, 0.5, 1.0)):
    config = load_config(config_ref, overrides)
    train_seqs, test_seqs, labels = data
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
    clock = TrainingClock(seconds)
    points = [seconds * f for f in fractions]
    curve, epochs, samples, epoch_seconds, total_epochs = [], 0, 0, [], None
    while points:
        clock.limit = points[0]
        dataset.set_epoch(epochs)
        clock.resume()
        started = time.monotonic()
        schedule = {"lr": float(cfg["lr"]), "min_lr": float(cfg.get("min_lr", 0.0)),
                    "warmup_steps": min(int(cfg.get("warmup_epochs", 0)), 2) * len(loader)}
        stats = pretrain_one_epoch(backbone, normalisation, objective, loader, optimizer, epochs,
                                   total_epochs or 1000, schedule, device, clock)
        clock.pause()
        samples += int(stats["steps"]) * loader.batch_size
        if not stats["stopped"]:
            epochs += 1
            epoch_seconds.append(time.monotonic() - started)
            if total_epochs is None:   # cosine schedule fitted to the budget after the first epoch
                total_epochs = max(2, int(seconds / epoch_seconds[0]))
        if clock.spent():
            train_f, train_y, test_f, test_y, classifier = features(config, spec, backbone, train_seqs, test_seqs,
                                                                    labels, device)
            point = {"train_seconds": round(clock.elapsed(), 1), "epochs": epochs,
                     "probe_top1": probe_accuracy(config, classifier, train_f, train_y, test_f, test_y, seed),
                     "knn_top1": knn_accuracy(train_f, train_y, test_f, test_y, k=int(config["evaluate"]["knn_k"]))}
            curve.append(point)
            log(f"  {name}: {point}")
            points.pop(0)
            backbone.train()
    result = {"objective": spec["objective"], "curve": curve, "epochs": epochs,
              "samples_per_s": round(samples / max(clock.elapsed(), 1e-9), 1),
              "seconds_per_epoch": round(float(np.mean(epoch_seconds)), 2) if epoch_seconds else None,
              "probe_top1": curve[-1]["probe_top1"], "knn_top1": curve[-1]["knn_top1"],
              "collapse": objective.statistics() if hasattr(objective, "statistics") else None}
    result["semi_supervised_features"] = (config, classifier, train_f, train_y, test_f, test_y)
    return result


def plot(results, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for name, r in results.items():
        xs = [p["train_seconds"] / 60 for p in r["curve"]]
        axes[0].plot(xs, [p["probe_top1"] for p in r["curve"]], marker="o", label=name)
        axes[1].plot(xs, [p["knn_top1"] for p in r["curve"]], marker="o", label=name)
    for ax, title in zip(axes, ("linear probe top-1", "kNN top-1")):
        ax.set_xlabel("training minutes")
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="tiny", choices=["tiny", "base"])
    parser.add_argument("--budget-minutes", type=float, default=18.0,
                        help="total training minutes, shared equally by the objectives (evaluation extra)")
    parser.add_argument("--quick", action="store_true", help="smoke run: small data, ~20 s per objective")
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
        # evaluation embeds every window at each point: the full run's set is sized so that 6 objectives x 3 points
        # fit in 30 minutes on 2 idle cores with an 18-minute training budget
        size = (dict(train_size=120, test_size=48, train_subjects=8, test_subjects=4) if args.quick
                else dict(train_size=1000, test_size=300, train_subjects=20, test_subjects=8))
        train_path, test_path = out / "synth-train.jsonl.gz", out / "synth-test.jsonl.gz"
        if not train_path.exists():
            train, test = generate(SynthConfig(seed=args.seed, **size))
            write_jsonl(train, train_path)
            write_jsonl(test, test_path)
    train_seqs = list(read_sequences(str(train_path), detect_format(str(train_path))))
    test_seqs = list(read_sequences(str(test_path), detect_format(str(test_path))))
    labels = sorted({s.label for s in train_seqs})
    configs = objective_configs(args.preset)
    names = args.only.split(",") if args.only else list(configs)
    budget_minutes = 1.5 if args.quick and args.budget_minutes == 18.0 else args.budget_minutes
    seconds = 60.0 * budget_minutes / len(names)
    device = torch.device(args.device)
    log(f"objectives benchmark on {where}; {len(train_seqs)} train / {len(test_seqs)} test sequences; "
        f"{seconds:.0f} s training per objective")
    results, started = {}, time.monotonic()
    for name in names:
        ref, overrides = configs[name]
        results[name] = run_objective(name, ref, overrides, (train_seqs, test_seqs, labels), seconds, device,
                                      args.seed, log, (0.5, 1.0) if args.quick else (0.25, 0.5, 1.0))

    ranked = sorted(results, key=lambda n: results[n]["probe_top1"], reverse=True)
    for name in ranked[:2]:   # semi-supervised protocol: the frozen encoder, 1 % and 10 % of labels
        config, classifier, train_f, train_y, test_f, test_y = results[name]["semi_supervised_features"]
        for fraction in (0.01, 0.1):
            idx = stratified(train_y, fraction, args.seed)
            results[name][f"probe_top1_{int(fraction * 100)}pct_labels"] = probe_accuracy(
                config, classifier, train_f[idx], train_y[idx], test_f, test_y, args.seed)
    for r in results.values():
        r.pop("semi_supervised_features")

    baseline = results.get(BASELINE)
    target = None
    if baseline:
        goal, base_time = baseline["probe_top1"], baseline["curve"][-1]["train_seconds"]
        best = ranked[0]
        reached = next((p["train_seconds"] for p in results[best]["curve"] if p["probe_top1"] >= goal), None)
        target = {"best": best, "baseline_final_probe": goal, "baseline_seconds": base_time,
                  "best_reaches_it_at_seconds": reached,
                  "met": reached is not None and reached <= base_time / 3 + 1e-6}
    summary = {"machine": where, "preset": args.preset, "quick": args.quick, "budget_minutes": budget_minutes,
               "seconds_per_objective": seconds,
               "minutes_total": round((time.monotonic() - started) / 60, 1), "train": str(train_path),
               "test": str(test_path), "results": results, "ranking": ranked, "target": target}
    (out / "results.json").write_text(json.dumps(summary, indent=2) + "\n")
    plot(results, out / "objectives.png")
    log(json.dumps({n: {k: results[n][k] for k in ("probe_top1", "knn_top1", "samples_per_s")} for n in ranked}))
    if not args.no_report:
        png = BENCHMARKS.parent / "BENCHMARKS-objectives.png"
        shutil.copyfile(out / "objectives.png", png)
        print(f"wrote {replace_section('objectives', report(summary, args, png.name))}")


def report(s, args, png_name: str) -> str:
    pct = lambda v: "n/a" if v is None else f"{100 * v:.1f} %"  # noqa: E731
    rows = []
    for name in s["ranking"]:
        r = s["results"][name]
        semi = " / ".join(pct(r.get(f"probe_top1_{p}pct_labels")) if f"probe_top1_{p}pct_labels" in r else "-"
                          for p in (1, 10))
        collapse = r["collapse"] or {}
        std = collapse.get("target_std_mean", collapse.get("embedding_std_mean"))
        rows.append(f"| {name} | {r['samples_per_s']} | {r['seconds_per_epoch']} | {r['epochs']} | "
                    f"{pct(r['probe_top1'])} | {pct(r['knn_top1'])} | {semi} | "
                    f"{'-' if std is None else round(std, 3)} |")
    t = s["target"]
    verdict = "no baseline in this run"
    if t:
        verdict = (f"baseline (mamp_motion) final probe {pct(t['baseline_final_probe'])} after "
                   f"{t['baseline_seconds']:.0f} s; best objective **{t['best']}** reaches it at "
                   f"{'never within its budget' if t['best_reaches_it_at_seconds'] is None else str(t['best_reaches_it_at_seconds']) + ' s'}"
                   f" -> target (at most a third of the baseline's time) **{'met' if t['met'] else 'NOT met'}**.")
    kind = "QUICK SMOKE RUN (small data, tiny budgets; not a result)" if s["quick"] else "full run"
    return "\n".join([
        "## Pre-training objectives (issue 7)", "",
        f"Written by `cd trainer && /usr/bin/python3 -m benchmarks.objectives"
        f"{' --quick' if s['quick'] else ''}` ({kind}; training budget {s['budget_minutes']} min in all) on: {s['machine']}.", "",
        f"Preset `{s['preset']}`, {s['seconds_per_objective']:.0f} s of training per objective (evaluation not "
        f"counted), data `{s['train']}` / `{s['test']}`. Probe = BatchNorm + linear on the frozen encoder; "
        f"1 % / 10 % = the same probe trained on that share of labels (best two only).", "",
        "| objective | samples/s | s/epoch | epochs | linear probe | kNN | probe 1 % / 10 % labels | target/embedding std |",
        "|---|---|---|---|---|---|---|---|", *rows, "",
        f"Accuracy against training time: ![objectives]({png_name})", "",
        f"Target: {verdict}" + (" (smoke run: budgets of seconds on a loaded machine, the first objective also pays "
                                "the warm-up; this says only that the pipeline works)" if s["quick"] else ""), "",
        f"Suggestion for the bundled model: **{s['ranking'][0]}** had the best linear probe in this run"
        f"{' (a smoke run: do not switch on this evidence)' if s['quick'] else ''}. "
        f"Total {s['minutes_total']} min."])


if __name__ == "__main__":
    main()
