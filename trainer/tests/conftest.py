"""Shared fixtures for the trainer tests (kept small: data builders live in their own tests)."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere

from skelstream_trainer.data import Sequence  # noqa: E402


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture
def make_sequence():
    """make_sequence(T=40, M=1, layout="ntu25", label="wave", seed=0) -> a Sequence of smooth random motion."""

    def make(T=40, M=1, layout="ntu25", label="wave", seed=0, fps=30.0, subject="s01"):
        from skelstream_trainer.layouts import get_layout

        v = get_layout(layout).num_joints
        r = np.random.default_rng(seed)
        base = r.normal(0, 0.3, size=(1, M, v, 3)) + np.array([0.0, 0.0, 3.0])
        drift = np.cumsum(r.normal(0, 0.01, size=(T, M, v, 3)), axis=0)
        frames = (base + drift).astype(np.float32)
        return Sequence(frames=frames, layout=layout, fps=fps, id=f"seq{seed}", label=label, subject=subject)

    return make
