"""Does pre-training help? The acceptance comparisons on synthetic held-out subjects.

    cd trainer && /usr/bin/python3 -m benchmarks.pretraining_gain --work runs/bundle-XXXX

--work is a `bundle` work folder (its synth/ data and pretrain/ checkpoint are used), or give
--train/--test/--pretrained explicitly. Runs, with the same seed and settings:
  1. linear probe on the pre-trained encoder vs. on a random-init encoder (all labels);
  2. fine-tuning with 10 % of the labels (stratified) from pre-trained vs. from scratch.
Writes results.json into --out and the "pretraining-gain" section of BENCHMARKS.md.
"""

import argparse
import json
import time
from pathlib import Path

from skelstream_trainer.__main__ import build_parser

from .report_sections import machine, replace_section


def run(argv):
    args = build_parser().parse_args(argv)
    return args.run(args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", help="a bundle work folder (synth/ and pretrain/ inside)")
    parser.add_argument("--train")
    parser.add_argument("--test")
    parser.add_argument("--pretrained", help="pretrain run folder or checkpoint")
    parser.add_argument("--out", default=None, help="folder for the four runs (default: <work>/gain)")
    parser.add_argument("--config", default="tiny")
    parser.add_argument("--label-fraction", type=float, default=0.1)
    parser.add_argument("--finetune-epochs", type=int, default=None, help="default: the config's")
    parser.add_argument("--probe-epochs", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    work = Path(args.work) if args.work else None
    train = args.train or str(work / "synth" / "train.jsonl.gz")
    test = args.test or str(work / "synth" / "test.jsonl.gz")
    pretrained = args.pretrained or str(work / "pretrain")
    out = Path(args.out) if args.out else (work / "gain" if work else Path("runs") / "gain")
    where = machine()
    common = ["--train", train, "--test", test, "--config", args.config, "--seed", str(args.seed), "--device", "cpu"]
    if args.threads:
        common += ["--threads", str(args.threads)]
    probe_epochs = ["--epochs", str(args.probe_epochs)] if args.probe_epochs else []
    ft_epochs = ["--epochs", str(args.finetune_epochs)] if args.finetune_epochs else []
    fraction = ["--label-fraction", str(args.label_fraction)]

    started = time.monotonic()
    results = {
        "probe_pretrained": run(["probe", *common, "--checkpoint", pretrained, "--out", str(out / "probe-pretrained"),
                                 *probe_epochs]),
        "probe_random_init": run(["probe", *common, "--from-scratch", "--out", str(out / "probe-random-init"),
                                  *probe_epochs]),
        "finetune_pretrained": run(["finetune", *common, "--checkpoint", pretrained, *fraction,
                                    "--out", str(out / "finetune-pretrained"), *ft_epochs]),
        "finetune_scratch": run(["finetune", *common, "--from-scratch", *fraction,
                                 "--out", str(out / "finetune-scratch"), *ft_epochs]),
    }
    keep = ("top1", "top5", "knn_top1", "train_sequences", "epochs_done", "probe_epochs_done", "seconds")
    summary = {name: {k: r.get(k) for k in keep if k in r} for name, r in results.items()}
    probe_gap = summary["probe_pretrained"]["top1"] - summary["probe_random_init"]["top1"]
    ft_gap = summary["finetune_pretrained"]["top1"] - summary["finetune_scratch"]["top1"]
    summary.update({"probe_gap_points": round(100 * probe_gap, 1), "finetune_gap_points": round(100 * ft_gap, 1),
                    "probe_gap_meets_15_points": probe_gap >= 0.15, "finetune_pretrained_wins": ft_gap > 0,
                    "pretrained": pretrained, "train": train, "test": test,
                    "minutes": round((time.monotonic() - started) / 60, 1)})
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(summary, indent=2) + "\n")

    pct = lambda v: f"{100 * v:.1f} %"  # noqa: E731
    s = summary
    body = "\n".join([
        "## Pre-training gain (acceptance)", "",
        f"Written by `cd trainer && /usr/bin/python3 -m benchmarks.pretraining_gain "
        f"{'--work ' + str(work) if work else ''}` on: {where}.", "",
        f"Data: `{train}` / `{test}` (synthetic, test subjects held out). Pre-trained encoder: `{pretrained}`.", "",
        "| comparison | pre-trained | random init / scratch | gap (points) | required |", "|---|---|---|---|---|",
        f"| linear probe top-1, all labels | {pct(s['probe_pretrained']['top1'])} | "
        f"{pct(s['probe_random_init']['top1'])} | {s['probe_gap_points']:+.1f} | >= +15 "
        f"({'met' if s['probe_gap_meets_15_points'] else 'NOT met'}) |",
        f"| fine-tune top-1, {int(100 * args.label_fraction)} % labels "
        f"({s['finetune_pretrained']['train_sequences']} sequences) | {pct(s['finetune_pretrained']['top1'])} | "
        f"{pct(s['finetune_scratch']['top1'])} | {s['finetune_gap_points']:+.1f} | > 0 "
        f"({'met' if s['finetune_pretrained_wins'] else 'NOT met'}) |",
        f"| kNN top-1 (probe runs' embeddings) | {pct(s['probe_pretrained']['knn_top1'])} | "
        f"{pct(s['probe_random_init']['knn_top1'])} | "
        f"{100 * (s['probe_pretrained']['knn_top1'] - s['probe_random_init']['knn_top1']):+.1f} | |", "",
        f"Total {s['minutes']} min. Run folders (metrics.json, confusion.png, log.txt each): `{out}`."])
    print(json.dumps(summary, indent=2))
    print(f"wrote {replace_section('pretraining-gain', body)}")


if __name__ == "__main__":
    main()
