"""Building blocks of joint-angle trajectories: phase envelopes, smooth random signals, and
:class:`Motion`, the blend of an action's target angles over a base posture."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from .skeleton import DOF, DOFS


def smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def ramp(u: np.ndarray, a: float, b: float) -> np.ndarray:
    """0 before a, 1 after b, smooth in between."""
    return smoothstep((u - a) / max(b - a, 1e-6))


def hold(u: np.ndarray, a: float, b: float, c: float, d: float) -> np.ndarray:
    """Rises over [a, b], stays 1 over [b, c], falls over [c, d]."""
    return ramp(u, a, b) * (1.0 - ramp(u, c, d))


def pulse(t: np.ndarray, start: float, length: float) -> np.ndarray:
    """A half-sine bump of ``length`` seconds starting at ``start``: 0 -> 1 -> 0."""
    x = np.clip((t - start) / length, 0.0, 1.0)
    return np.sin(np.pi * x)


def wander(t: np.ndarray, rng: np.random.Generator, amplitude: float, max_hz: float = 0.5) -> np.ndarray:
    """A smooth random signal (three sinusoids) of roughly ``amplitude``, e.g. idle sway."""
    out = np.zeros_like(t)
    for _ in range(3):
        out += np.sin(2 * np.pi * rng.uniform(0.05, max_hz) * t + rng.uniform(0, 2 * np.pi))
    return amplitude * out / 1.7


@dataclass
class Scene:
    """What an action knows: sample times, where the action sits in them, the subject's style."""

    t: np.ndarray  # (T,) seconds from the first frame
    start: float  # action start and end, seconds
    end: float
    rng: np.random.Generator
    amplitude: float  # subject's movement amplitude, ~1
    speed: float  # subject's speed, ~1 (already applied to start/end)
    seated: bool = False  # posture for actions that work in either

    @property
    def u(self) -> np.ndarray:
        """Phase of the action, (T,) in [0, 1]."""
        return np.clip((self.t - self.start) / (self.end - self.start), 0.0, 1.0)

    @property
    def local_t(self) -> np.ndarray:
        """Seconds since the action started (negative before), (T,)."""
        return self.t - self.start

    def deg(self, lo: float, hi: float) -> float:
        """A random angle in degrees from [lo, hi], scaled by the subject's amplitude, in radians."""
        return float(np.radians(self.rng.uniform(lo, hi) * self.amplitude))

    def goal(self, lo: float, hi: float) -> float:
        """A random angle in degrees from [lo, hi], NOT scaled (poses that must reach a goal,
        such as a hand at the mouth), in radians."""
        return float(np.radians(self.rng.uniform(lo, hi)))


@dataclass
class Motion:
    """An action's contribution: angles = base * (1 - weight) + target * weight + offset.

    target, weight, offset: (T, len(DOFS)); seated: (T,) posture (0 standing, 1 seated) or
    None to keep the scene's; anchor: which ankle stays on its spot ("mid", "l", "r")."""

    frames: int
    target: np.ndarray = field(init=False)
    weight: np.ndarray = field(init=False)
    offset: np.ndarray = field(init=False)
    seated: Optional[np.ndarray] = None
    anchor: str = "mid"
    lying: bool = False  # the body ends on the floor (the lowest joint rests on it)

    def __post_init__(self):
        shape = (self.frames, len(DOFS))
        self.target, self.weight, self.offset = np.zeros(shape), np.zeros(shape), np.zeros(shape)

    def set(self, name: str, value, weight) -> None:
        self.target[:, DOF[name]] = value
        self.weight[:, DOF[name]] = weight

    def add(self, name: str, value) -> None:
        self.offset[:, DOF[name]] += value
