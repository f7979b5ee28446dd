"""`bundle`: regenerate the bundled model in one command, on a CPU, within a time budget.

synth (ntu25, split by subject) -> pretrain tiny -> linear probe -> export (ONNX + fixtures)
-> models/bundled/{skelstream-tiny.onnx, fixtures.json, synthetic-test.jsonl.gz, MODEL.md,
metrics.json}. Intermediate run folders stay in --work for inspection.
"""

import argparse
import json
import shlex
import shutil
import sys
import time
from pathlib import Path

from . import export as export_command, pretrain as pretrain_command, probe as probe_command
from .common import UsageError, set_threads

HELP = "regenerate the bundled model: synth -> pretrain tiny -> probe -> export -> fixtures"
DEFAULT_OUT = "../models/bundled"
# share of the budget (at most 3 min) kept back from pre-training for the probe and export
# The file the demo, the tests and the images load, whichever config or objective trained it.
BUNDLED_NAME = "skelstream-tiny"
RESERVE_SHARE, RESERVE_MAX_MIN = 0.25, 3.0


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("bundle", help=HELP, description=HELP)
    parser.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                        help=f"where the bundled model goes (default {DEFAULT_OUT})")
    parser.add_argument("--work", default=None, metavar="DIR",
                        help="folder for the intermediate runs (default runs/bundle-<time>)")
    parser.add_argument("--config", default="tiny", help="preset or YAML (default tiny)")
    parser.add_argument("--time-budget", type=float, default=13.0, metavar="MINUTES",
                        help="whole command, synth to fixtures (default 13)")
    parser.add_argument("--train-size", type=int, default=1200, help="synthetic training sequences (default 1200)")
    parser.add_argument("--test-size", type=int, default=240, help="synthetic test sequences (default 240)")
    parser.add_argument("--pretrain-epochs", type=int, default=None,
                        help="cap on pre-training epochs (default: the config's; the time budget stops it first)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="config override passed to every step, e.g. --set probe.train_crops=1")
    parser.add_argument("--classes", default=None, metavar="A,B,...", help="synthetic classes (default: all)")
    parser.add_argument("--device", choices=["cpu", "cuda", "auto"], default="cpu")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads for torch (default: all cores)")
    parser.add_argument("--seed", type=int, default=0)
    parser.set_defaults(run=run)


def _steps_parser(*commands) -> argparse.ArgumentParser:
    """The argument parser of the steps the bundle runs, exactly as their own commands parse them."""
    parser = argparse.ArgumentParser(prog="bundle")
    subparsers = parser.add_subparsers(dest="command")
    for command in commands:
        command.add_parser(subparsers)
    return parser


def run(args: argparse.Namespace) -> dict:
    from ..synth import SynthConfig, write_dataset

    started = time.monotonic()
    remaining = lambda: args.time_budget - (time.monotonic() - started) / 60.0  # noqa: E731
    work = Path(args.work) if args.work else Path("runs") / f"bundle-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}"
    out = Path(args.out)
    work.mkdir(parents=True, exist_ok=True)
    threads = set_threads(args.threads)
    print(f"bundle: work folder {work}, output {out}, budget {args.time_budget} min, {threads} threads",
          file=sys.stderr)

    classes = {"classes": tuple(c.strip() for c in args.classes.split(","))} if args.classes else {}
    synth = write_dataset(SynthConfig(train_size=args.train_size, test_size=args.test_size, seed=args.seed, **classes),
                          work / "synth" / "train.jsonl.gz", work / "synth" / "test.jsonl.gz")
    train, test = synth["train"]["path"], synth["test"]["path"]
    print(f"bundle: synth done in {synth['seconds']} s", file=sys.stderr)
    timings = {"synth_s": synth["seconds"]}

    def step(name: str, *argv: str) -> dict:
        t0 = time.monotonic()
        common = ["--config", args.config, "--device", args.device, "--seed", str(args.seed),
                  "--threads", str(threads), "--out", str(work / name)]
        for item in args.overrides:
            common += ["--set", item]
        data = ["--train", train] + (["--test", test] if name != "pretrain" else [])
        parsed = _steps_parser(export_command, pretrain_command, probe_command).parse_args([name, *data, *common, *argv])
        metrics = parsed.run(parsed)
        timings[f"{name}_s"] = round(time.monotonic() - t0, 1)
        return metrics

    pretrain_budget = remaining() - min(RESERVE_MAX_MIN, RESERVE_SHARE * args.time_budget)
    if pretrain_budget <= 0.05:
        raise UsageError(f"--time-budget {args.time_budget} min leaves no time to pre-train after synth")
    epochs = ["--epochs", str(args.pretrain_epochs)] if args.pretrain_epochs else []
    pretrain = step("pretrain", "--time-budget", f"{pretrain_budget:.2f}", *epochs)
    probe = step("probe", "--checkpoint", str(work / "pretrain"), "--time-budget", f"{max(0.5, remaining() - 1):.2f}")
    export = step("export", "--checkpoint", str(work / "probe"), "--name", BUNDLED_NAME)

    out.mkdir(parents=True, exist_ok=True)
    model_name = export["model"]
    shutil.copyfile(work / "export" / model_name, out / model_name)
    shutil.copyfile(work / "export" / "fixtures.json", out / "fixtures.json")
    shutil.copyfile(test, out / "synthetic-test.jsonl.gz")
    total_s = round(time.monotonic() - started, 1)
    command = "/usr/bin/python3 -m skelstream_trainer " + " ".join(shlex.quote(a) for a in sys.argv[1:]) \
        if sys.argv[1:2] == ["bundle"] else "/usr/bin/python3 -m skelstream_trainer bundle"
    metrics = {
        "model": model_name, "command": f"cd trainer && {command}",
        "top1": probe.get("top1"), "top5": probe.get("top5"), "knn_top1": probe.get("knn_top1"),
        "test_sequences": probe.get("samples"), "classes": json.loads(export["metadata"]["skelstream.labels"]),
        "pretrain": {k: pretrain[k] for k in ("objective", "epochs_done", "final_loss", "seconds",
                                               "train_samples_per_s", "stopped_by_time_budget")},
        "probe": {k: probe.get(k) for k in ("top1", "top5", "knn_top1", "per_class_recall", "train_sequences")},
        "synth": synth["config"], "timings_s": {**timings, "total_s": total_s}, "threads": threads,
        "metadata": export["metadata"],
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (out / "MODEL.md").write_text(model_card(metrics), encoding="utf-8")
    print(f"bundle: done in {total_s / 60:.1f} min: top-1 {probe.get('top1')}, files in {out}", file=sys.stderr)
    return metrics


def model_card(m: dict) -> str:
    meta = m["metadata"]
    pct = lambda v: "n/a" if v is None else f"{100 * v:.1f} %"  # noqa: E731
    return f"""# Bundled model: {m['model']}

The model the demo and the encoder tests use. Regenerate it (about {m['timings_s']['total_s'] / 60:.0f} min on a 2-core CPU):

    {m['command']}

It runs `synth` (procedural ntu25 actions, train/test split by subject), masked pre-training of the
`tiny` encoder, a linear probe on the frozen encoder, and `export` (ONNX opset 17, contract 1, with
parity fixtures replayed by the Java encoder's tests).

| | |
|---|---|
| layout / persons / frames / fps | {meta['skelstream.layout']} / {meta['skelstream.persons']} / {meta['skelstream.frames']} / {meta['skelstream.fps']} |
| classes | {', '.join(m['classes'])} |
| pre-training | {m['pretrain']['objective']}, {m['pretrain']['epochs_done']} epochs, final loss {m['pretrain']['final_loss']} |
| head | linear probe (BatchNorm without affine + Linear) on the frozen encoder |
| data | synthetic: {m['synth']['train_size']} train sequences ({m['synth']['train_subjects']} subjects), {m['synth']['test_size']} test ({m['synth']['test_subjects']} held-out subjects), seed {m['synth']['seed']} |
| top-1 / top-5 on held-out subjects | {pct(m['top1'])} / {pct(m['top5'])} |
| kNN top-1 (k=10, embeddings) | {pct(m['knn_top1'])} |
| time (s) | {', '.join(f"{k[:-2]} {v:.0f}" for k, v in m['timings_s'].items())} ({m['threads']} torch thread(s)) |

Files: `{m['model']}` (the model; all metadata inside), `fixtures.json` (inputs and PyTorch outputs,
tolerance 1e-4), `synthetic-test.jsonl.gz` (the held-out test set, JSON Lines, replayed by the demo),
`metrics.json` (everything above, machine-readable).
"""
