"""Training augmentations for skeleton clips. Each takes and returns float32 (T, M, V, 3)
with zeros = absent, and keeps absent joints absent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np

from ..layouts import Layout


@dataclass(frozen=True)
class Augmentation:
    """What a training crop may do to a sequence. ``Augmentation.none()`` turns all off.

    speed:        range of the time-scale factor s (sampled log-uniformly); s > 1 plays the
                  action faster (the crop covers s times the window's duration of recording).
    rotate_deg:   yaw about the vertical (camera y) axis, uniform in [-rotate_deg, rotate_deg].
    tilt_deg:     small rotation about the two horizontal axes, uniform in [-tilt_deg, tilt_deg].
    scale:        range of a uniform scale about the body centre.
    mirror_p:     probability of a left/right mirror (swap by the layout's mirror, negate x).
    frame_drop_p: probability that a recorded frame is lost before resampling (as on a live feed).
    joint_drop_p: probability that a joint of a resampled frame is set absent.
    jitter_m:     standard deviation of Gaussian noise on present joints, metres.
    """

    speed: Tuple[float, float] = (0.8, 1.25)
    rotate_deg: float = 30.0
    tilt_deg: float = 5.0
    scale: Tuple[float, float] = (0.9, 1.1)
    mirror_p: float = 0.0
    frame_drop_p: float = 0.0
    joint_drop_p: float = 0.0
    jitter_m: float = 0.0

    @staticmethod
    def none() -> "Augmentation":
        return Augmentation(speed=(1.0, 1.0), rotate_deg=0.0, tilt_deg=0.0, scale=(1.0, 1.0))

    def sample_speed(self, rng: np.random.Generator) -> float:
        lo, hi = self.speed
        return float(np.exp(rng.uniform(np.log(lo), np.log(hi)))) if hi > lo else float(lo)


def present_mask(clip: np.ndarray) -> np.ndarray:
    """(T, M, V, 3) -> bool (T, M, V): a joint is present unless all its coordinates are 0."""
    return np.any(clip != 0.0, axis=-1)


def body_centre(clip: np.ndarray, layout: Layout) -> Optional[np.ndarray]:
    """Mean of the layout's centre joints over all frames/persons where present, (3,); None if never."""
    pts = clip[:, :, list(layout.centre), :].reshape(-1, 3)
    present = np.any(pts != 0.0, axis=-1)
    count = int(present.sum())
    return pts[present].sum(axis=0, dtype=np.float64) / count if count else None


def rotation_matrix(yaw: float, tilt_x: float, tilt_z: float) -> np.ndarray:
    """R = Ry(yaw) Rx(tilt_x) Rz(tilt_z), radians, (3, 3); y is the camera's vertical axis."""
    cy, sy = np.cos(yaw), np.sin(yaw)
    cx, sx = np.cos(tilt_x), np.sin(tilt_x)
    cz, sz = np.cos(tilt_z), np.sin(tilt_z)
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return ry @ rx @ rz


def augment_clip(clip: np.ndarray, layout: Layout, aug: Augmentation, rng: np.random.Generator) -> np.ndarray:
    """Spatial augmentations (rotation, tilt, scale, mirror about the body centre), then jitter
    and joint dropout. The random draws happen in a fixed order, so a seeded rng reproduces."""
    mask = present_mask(clip)
    centre = body_centre(clip, layout)
    yaw = np.radians(rng.uniform(-aug.rotate_deg, aug.rotate_deg))
    tilt = np.radians(rng.uniform(-aug.tilt_deg, aug.tilt_deg, size=2))
    scale = rng.uniform(*aug.scale)
    mirror = rng.random() < aug.mirror_p
    out = clip.astype(np.float32, copy=True)  # float32 throughout: augmentation needs no more
    if centre is not None:
        centre = centre.astype(np.float32)
        rel = out - centre
        if mirror:
            rel = rel[:, :, list(layout.mirror), :] * np.array([-1.0, 1.0, 1.0], dtype=np.float32)
            mask = mask[:, :, list(layout.mirror)]
        rel = rel @ (rotation_matrix(yaw, tilt[0], tilt[1]).T * scale).astype(np.float32)
        out = rel + centre
    if aug.jitter_m > 0:
        out += rng.standard_normal(size=out.shape, dtype=np.float32) * np.float32(aug.jitter_m)
    if aug.joint_drop_p > 0:
        mask = mask & (rng.random(mask.shape, dtype=np.float32) >= aug.joint_drop_p)
    out *= mask[..., None]
    return out
