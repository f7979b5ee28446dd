"""Command line of the generator: ``python3 -m skelstream_trainer synth [--help]``.

The trainer's ``__main__`` wires ``synth`` to :func:`add_arguments` and :func:`run_from_args`;
:func:`cli_main` runs it stand-alone (``python3 -m skelstream_trainer.synth``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import List, Optional

from .actions import CLASSES
from .dataset import SynthConfig, write_dataset

DEFAULT_OUT = "data/synth"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    d = SynthConfig()
    parser.add_argument("--out", metavar="DIR", default=DEFAULT_OUT,
                        help=f"folder for train.jsonl.gz, test.jsonl.gz and synth.json (default {DEFAULT_OUT})")
    parser.add_argument("--train", metavar="FILE", help="train set path instead of DIR/train.jsonl.gz (.jsonl or .jsonl.gz)")
    parser.add_argument("--test", metavar="FILE", help="test set path instead of DIR/test.jsonl.gz")
    parser.add_argument("--train-size", type=int, default=d.train_size, help=f"train sequences (default {d.train_size})")
    parser.add_argument("--test-size", type=int, default=d.test_size, help=f"test sequences (default {d.test_size})")
    parser.add_argument("--train-subjects", type=int, default=d.train_subjects,
                        help=f"distinct train subjects (default {d.train_subjects})")
    parser.add_argument("--test-subjects", type=int, default=d.test_subjects,
                        help=f"distinct held-out test subjects (default {d.test_subjects})")
    parser.add_argument("--classes", metavar="A,B,...", default=",".join(CLASSES),
                        help="comma-separated subset of: " + ", ".join(CLASSES))
    parser.add_argument("--fps", type=float, default=d.fps, help=f"frame rate (default {d.fps:g})")
    parser.add_argument("--min-duration", type=float, default=d.min_duration_s, help="shortest sequence, seconds")
    parser.add_argument("--max-duration", type=float, default=d.max_duration_s, help="longest sequence, seconds")
    parser.add_argument("--second-person", type=float, default=d.second_person_p,
                        help=f"probability of a second person in view (default {d.second_person_p})")
    parser.add_argument("--seed", type=int, default=d.seed, help="the same seed gives the same files (default 0)")


def config_from_args(args: argparse.Namespace) -> SynthConfig:
    classes = tuple(c.strip() for c in args.classes.split(",") if c.strip())
    unknown = [c for c in classes if c not in CLASSES]
    if unknown:
        raise SystemExit(f"synth: unknown classes {unknown}; choose from: {', '.join(CLASSES)}")
    if args.train_size < 0 or args.test_size < 0 or args.train_subjects < 1 or args.test_subjects < 1:
        raise SystemExit("synth: sizes must be >= 0 and subject counts >= 1")
    if not 0 < args.min_duration <= args.max_duration:
        raise SystemExit("synth: need 0 < --min-duration <= --max-duration")
    return SynthConfig(train_size=args.train_size, test_size=args.test_size, train_subjects=args.train_subjects,
                       test_subjects=args.test_subjects, classes=classes, fps=args.fps,
                       min_duration_s=args.min_duration, max_duration_s=args.max_duration,
                       second_person_p=args.second_person, seed=args.seed)


def run_from_args(args: argparse.Namespace) -> int:
    """Generate and write the dataset described by parsed arguments; prints a JSON summary."""
    config = config_from_args(args)
    out = Path(args.out)
    train = Path(args.train) if args.train else out / "train.jsonl.gz"
    test = Path(args.test) if args.test else out / "test.jsonl.gz"
    summary = write_dataset(config, train, test)
    out.mkdir(parents=True, exist_ok=True)
    (out / "synth.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 0


run = run_from_args


def cli_main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m skelstream_trainer synth",
                                     description="Generate labelled synthetic skeleton actions (ntu25 JSON Lines).")
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))
