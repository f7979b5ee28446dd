"""Synthetic labelled ntu25 datasets, split by subject, deterministic by seed."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Sequence as Seq, Tuple

import numpy as np

from ..data.jsonl import write_jsonl
from ..data.sequence import Sequence
from .actions import CLASSES
from .performer import Camera, Subject, bystander, perform, sensor, to_world


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. Subjects 1..train_subjects are train, the next test_subjects are test."""

    train_size: int = 3000
    test_size: int = 600
    train_subjects: int = 30
    test_subjects: int = 10
    classes: Tuple[str, ...] = CLASSES
    fps: float = 15.0  # keeps the 600-sequence test set under 5 MB gzipped; --fps 30 for Kinect rate
    min_duration_s: float = 2.0
    max_duration_s: float = 3.75
    second_person_p: float = 0.2
    seed: int = 0


def make_subjects(config: SynthConfig) -> Tuple[List[Subject], List[Subject]]:
    """Train and test subjects; a subject depends only on (seed, its number)."""
    total = config.train_subjects + config.test_subjects
    subjects = [Subject.sample(f"s{k:03d}", np.random.default_rng((config.seed, 1, k))) for k in range(1, total + 1)]
    return subjects[: config.train_subjects], subjects[config.train_subjects:]


def make_sequence(label: str, subject: Subject, config: SynthConfig, rng: np.random.Generator, seq_id: str) -> Sequence:
    """One recording of ``subject`` doing ``label``: float32 (T, M, 25, 3), M = 1 or 2."""
    frames = int(round(rng.uniform(config.min_duration_s, config.max_duration_s) * config.fps))
    body, seated = perform(label, subject, frames, config.fps, rng)
    camera = Camera.sample(rng, seated)
    people = [to_world(body, camera.yaw_deg, (rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3)))]
    if rng.random() < config.second_person_p:  # someone else in view, beside the actor
        other = Subject.sample("bystander", rng)
        side = rng.choice([-1.0, 1.0]) * rng.uniform(0.9, 1.8)
        facing = camera.yaw_deg + rng.uniform(-120, 120)
        people.append(to_world(bystander(other, frames, config.fps, rng), facing, (side, rng.uniform(-0.8, 0.8))))
    hide_legs = seated and label not in ("sit down", "stand up") and rng.random() < 0.3
    cam = sensor(np.stack(people, axis=1), camera, rng, hide_legs)
    return Sequence(frames=cam, layout="ntu25", fps=config.fps, id=seq_id, label=label, subject=subject.id,
                    view=camera.view, meta={"seated": seated, "hide_legs": hide_legs})


def generate_split(size: int, subjects: Seq[Subject], config: SynthConfig, split: str) -> List[Sequence]:
    """``size`` sequences, classes balanced (round robin), subjects drawn at random."""
    order_rng = np.random.default_rng((config.seed, 2, 0 if split == "train" else 1))
    labels = [config.classes[i % len(config.classes)] for i in range(size)]
    order_rng.shuffle(labels)
    who = order_rng.integers(0, len(subjects), size=size)
    out = []
    for i, (label, s) in enumerate(zip(labels, who)):
        rng = np.random.default_rng((config.seed, 3, 0 if split == "train" else 1, i))
        out.append(make_sequence(label, subjects[s], config, rng, f"{split}_{i:05d}"))
    return out


def generate(config: SynthConfig = SynthConfig()) -> Tuple[List[Sequence], List[Sequence]]:
    """(train, test) sequences; train and test subjects never overlap."""
    unknown = [c for c in config.classes if c not in CLASSES]
    if unknown:
        raise ValueError(f"unknown synthetic classes {unknown}; available: {', '.join(CLASSES)}")
    train_subjects, test_subjects = make_subjects(config)
    return (generate_split(config.train_size, train_subjects, config, "train"),
            generate_split(config.test_size, test_subjects, config, "test"))


def write_dataset(config: SynthConfig, train_path: Path, test_path: Path) -> Dict[str, object]:
    """Generate and write train/test JSON Lines (coordinates rounded to 1 mm); returns a summary."""
    started = time.perf_counter()
    train, test = generate(config)
    for path, seqs in ((train_path, train), (test_path, test)):
        write_jsonl(seqs, path, decimals=3)
    return {"config": {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(config).items()},
            "train": {"path": str(train_path), "sequences": len(train), "bytes": Path(train_path).stat().st_size},
            "test": {"path": str(test_path), "sequences": len(test), "bytes": Path(test_path).stat().st_size},
            "seconds": round(time.perf_counter() - started, 2)}
