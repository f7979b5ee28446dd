"""The one thing every reader yields: a skeleton sequence with its metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import numpy as np


@dataclass
class Sequence:
    """A recorded skeleton sequence at a constant frame rate.

    frames: float32 (T, M, V, 3), metres in the capture device's camera space; an absent
            person or joint is (0, 0, 0). Frame t was captured at t / fps seconds.
    layout: layout name from schemas/layouts.json (V = that layout's joint count).
    meta:   reader-specific extras (e.g. NTU setup and replication, PKU-MMD video and frame range).
    """

    frames: np.ndarray
    layout: str
    fps: float
    id: str
    label: Optional[str] = None
    subject: Optional[str] = None
    view: Optional[str] = None
    meta: Dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        self.frames = np.asarray(self.frames, dtype=np.float32)
        if self.frames.ndim != 4 or self.frames.shape[-1] != 3:
            raise ValueError(f"sequence {self.id!r}: frames must be (T, M, V, 3), got {self.frames.shape}")
        if not self.fps > 0:
            raise ValueError(f"sequence {self.id!r}: fps must be positive, got {self.fps}")

    def __repr__(self) -> str:
        return (f"Sequence(id={self.id!r}, label={self.label!r}, layout={self.layout!r}, fps={self.fps}, "
                f"frames={tuple(self.frames.shape)}, subject={self.subject!r}, view={self.view!r})")

    @property
    def num_frames(self) -> int:
        return int(self.frames.shape[0])

    @property
    def num_persons(self) -> int:
        return int(self.frames.shape[1])

    @property
    def num_joints(self) -> int:
        return int(self.frames.shape[2])

    @property
    def duration_s(self) -> float:
        """Seconds from the first to the last frame."""
        return (self.num_frames - 1) / self.fps if self.num_frames else 0.0

    def times_s(self) -> np.ndarray:
        """Capture time of each frame in seconds, float64 (T,)."""
        return np.arange(self.num_frames, dtype=np.float64) / float(self.fps)


def pad_persons(frames: np.ndarray, persons: int) -> np.ndarray:
    """(T, M, V, 3) -> (T, persons, V, 3): extra persons dropped (readers put the most
    important first), missing ones added as zeros (absent)."""
    t, m, v, c = frames.shape
    if m == persons:
        return frames
    if m > persons:
        return frames[:, :persons]
    out = np.zeros((t, persons, v, c), dtype=frames.dtype)
    out[:, :m] = frames
    return out
