"""One synthetic recording: a subject performs an action (with idle time around it) in
front of a camera; the result is what a depth sensor would report, noise and glitches included."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np

from .actions import ACTIONS
from .motion import Motion, Scene, hold, wander
from .skeleton import DOF, DOFS, Body, forward_kinematics, mirror_dofs

_FOOT_CLEARANCE_M = 0.04  # the Kinect foot joint sits a few cm above the floor
_LEGS = (13, 14, 15, 17, 18, 19)  # knees, ankles, feet: hidden under a desk or dashboard
_DISTAL = (7, 11, 15, 19, 21, 22, 23, 24)  # hands, feet, tips and thumbs: the noisiest joints
_MIN_DEPTH_M = 0.5  # depth sensors see nothing closer
_HALF_FOV_TAN = (0.75, 0.65)  # tan of half the field of view, horizontal and vertical (Kinect v2: 70 x 60 deg)


@dataclass(frozen=True)
class Subject:
    """A synthetic person: the same body and habits in every recording."""

    id: str
    body: Body
    left_handed: bool
    speed: float  # tempo multiplier
    amplitude: float  # movement size multiplier
    idle_style: int  # preferred resting arm pose

    @staticmethod
    def sample(subject_id: str, rng: np.random.Generator) -> "Subject":
        height = float(np.clip(rng.normal(1.72, 0.1), 1.45, 2.0))
        return Subject(subject_id, Body.sample(rng, height), left_handed=bool(rng.random() < 0.2),
                       speed=float(rng.uniform(0.75, 1.3)), amplitude=float(rng.uniform(0.8, 1.15)),
                       idle_style=int(rng.integers(0, 3)))


@dataclass(frozen=True)
class Camera:
    """Where the sensor is relative to the person (world: floor y = 0, person near the origin)."""

    yaw_deg: float  # the person's facing relative to the camera, 0 = facing it
    height_m: float
    distance_m: float
    lateral_m: float
    roll_deg: float
    aim_height_m: float

    @staticmethod
    def sample(rng: np.random.Generator, seated: bool) -> "Camera":
        return Camera(yaw_deg=float(rng.uniform(-100, 100)), height_m=float(rng.uniform(0.7, 2.1)),
                      distance_m=float(rng.uniform(1.6, 4.2)), lateral_m=float(rng.uniform(-0.6, 0.6)),
                      roll_deg=float(rng.uniform(-4, 4)), aim_height_m=0.7 if seated else float(rng.uniform(0.8, 1.1)))

    @property
    def view(self) -> str:
        return f"yaw{self.yaw_deg:+.0f}_h{self.height_m:.1f}_d{self.distance_m:.1f}"

    def to_camera(self, world: np.ndarray) -> np.ndarray:
        """World points (..., 3) -> camera space (x left, y up, z forward), metres."""
        centre = np.array([self.lateral_m, self.height_m, self.distance_m])
        forward = np.array([0.0, self.aim_height_m, 0.0]) - centre
        forward /= np.linalg.norm(forward)
        right = np.cross(forward, [0.0, 1.0, 0.0])
        right /= np.linalg.norm(right)
        up = np.cross(right, forward)
        r = np.radians(self.roll_deg)
        left_r, up_r = -right * np.cos(r) + up * np.sin(r), up * np.cos(r) + right * np.sin(r)
        rel = world - centre
        return np.stack([rel @ left_r, rel @ up_r, rel @ forward], axis=-1)


def _posture(t: np.ndarray, seated: np.ndarray, rng: np.random.Generator, idle_style: int) -> np.ndarray:
    """Base angles (T, DOFS): standing or seated (blend by ``seated`` in [0, 1]) with idle sway."""
    base = np.zeros((len(t), len(DOFS)))
    deg = lambda lo, hi: np.radians(rng.uniform(lo, hi))
    # resting arms: standing (hanging / clasped in front / folded), seated (on thighs / wheel)
    stand_arm = [(deg(0, 10), deg(5, 12), 0.0, deg(5, 20)), (deg(15, 30), deg(0, 10), deg(40, 60), deg(70, 95)),
                 (deg(20, 35), deg(10, 20), deg(60, 80), deg(100, 120))][idle_style if rng.random() < 0.7 else rng.integers(0, 3)]
    sit_arm = [(deg(20, 40), deg(5, 15), deg(10, 30), deg(40, 70)), (deg(45, 70), deg(5, 15), deg(10, 30), deg(50, 80))][int(rng.integers(0, 2))]
    for k, name in enumerate(("sh_flex", "sh_abd", "sh_twist", "el_flex")):
        for side in "lr":
            base[:, DOF[f"{name}_{side}"]] = (1 - seated) * stand_arm[k] + seated * sit_arm[k] + wander(t, rng, np.radians(3))
    for side in "lr":
        base[:, DOF[f"hip_flex_{side}"]] = seated * deg(80, 100)
        base[:, DOF[f"knee_flex_{side}"]] = seated * deg(75, 105)
        base[:, DOF[f"hip_abd_{side}"]] = deg(0, 8) + seated * deg(0, 10)
    base[:, DOF["root_roll"]] = wander(t, rng, np.radians(1.5) * (1 - seated), 0.4)
    base[:, DOF["spine_flex"]] = wander(t, rng, np.radians(2), 0.3) + seated * deg(-5, 15)
    base[:, DOF["neck_yaw"]] = wander(t, rng, np.radians(12), 0.3)
    base[:, DOF["neck_flex"]] = wander(t, rng, np.radians(5), 0.3)
    return base


def _fidget(base: np.ndarray, t: np.ndarray, busy: Tuple[float, float], rng: np.random.Generator) -> np.ndarray:
    """A brief unrelated arm movement (scratch, adjust, touch the face) in the idle time
    before or after the action: the hard negatives a live feed is full of."""
    length = rng.uniform(0.5, 1.2)
    room = [(0.0, busy[0] - length), (busy[1], t[-1] - length)]
    room = [(a, b) for a, b in room if b > a]
    if not room:
        return base
    a, b = room[int(rng.integers(0, len(room)))]
    start = rng.uniform(a, b)
    w = hold(t, start, start + 0.3 * length, start + 0.7 * length, start + length)[:, None] * rng.uniform(0.6, 1.0)
    side = "l" if rng.random() < 0.5 else "r"
    target = base.copy()
    for name, (lo, hi) in (("sh_flex", (0, 70)), ("sh_abd", (0, 40)), ("el_flex", (30, 120)), ("sh_twist", (-20, 50))):
        target[:, DOF[f"{name}_{side}"]] = np.radians(rng.uniform(lo, hi))
    return base * (1 - w) + target * w


def _place(angles: np.ndarray, motion_anchor: str, lying: bool, body: Body) -> np.ndarray:
    """Joint angles -> body positions (T, 25, 3) standing on the floor: the anchor ankle keeps
    its spot, the lowest joint (a foot; any joint once lying) rests on the floor."""
    pos = forward_kinematics(angles, body)
    ankles = {"l": pos[:, 14], "r": pos[:, 18]}
    anchor = (ankles["l"] + ankles["r"]) / 2 if motion_anchor == "mid" else ankles[motion_anchor]
    lowest = pos[:, :, 1].min(axis=1) if lying else pos[:, [14, 15, 18, 19], 1].min(axis=1)
    shift = np.stack([-anchor[:, 0], _FOOT_CLEARANCE_M - lowest, -anchor[:, 2]], axis=-1)
    if lying:  # during a fall the body slides over the floor; keep the anchor from the start
        shift[:, [0, 2]] = shift[0, [0, 2]]
    # walking translation and jump height, along the body's facing (-z turned by root_yaw)
    yaw = angles[:, DOF["root_yaw"]]
    step = np.diff(angles[:, DOF["root_forward"]], prepend=angles[0, DOF["root_forward"]])
    path = np.stack([np.cumsum(np.sin(yaw) * step), np.cumsum(-np.cos(yaw) * step)], axis=-1)
    path -= (path.min(axis=0) + path.max(axis=0)) / 2  # a walk passes through the spot, not off it
    shift[:, [0, 2]] += path
    shift[:, 1] += angles[:, DOF["root_lift"]]
    return pos + shift[:, None, :]


def to_world(pos: np.ndarray, facing_deg: float, offset: Tuple[float, float]) -> np.ndarray:
    """Body frame -> world: turn the body so that facing 0 looks at the camera (+z), then move."""
    a = np.radians(180.0 + facing_deg)
    c, s = np.cos(a), np.sin(a)
    rot = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return pos @ rot.T + np.array([offset[0], 0.0, offset[1]])


def perform(label: str, subject: Subject, frames: int, fps: float, rng: np.random.Generator,
            seated: Optional[bool] = None) -> Tuple[np.ndarray, bool]:
    """Body-frame joint positions (T, 25, 3) of ``subject`` doing ``label`` once within ``frames``
    frames, idle before and after; returns (positions, seated)."""
    fn, (lo, hi), can_sit = ACTIONS[label]
    t = np.arange(frames) / fps
    total = t[-1]
    speed = subject.speed * rng.uniform(0.85, 1.18)
    length = float(np.clip(rng.uniform(lo, hi) / speed, 0.8, max(total - 0.2, 0.8)))
    start = rng.uniform(0.0, max(total - length, 0.0))
    if seated is None:
        seated = can_sit and rng.random() < (0.6 if label == "reach behind" else 0.35)
    seated = seated or label == "stand up"
    scene = Scene(t=t, start=start, end=start + length, rng=rng,
                  amplitude=subject.amplitude * rng.uniform(0.85, 1.15), speed=speed, seated=seated)
    motion: Motion = fn(scene)
    posture = motion.seated if motion.seated is not None else np.full(frames, 1.0 if seated else 0.0)
    base = _posture(t, posture, rng, subject.idle_style)
    if rng.random() < 0.4:
        base = _fidget(base, t, (start, start + length), rng)
    angles = base * (1 - motion.weight) + motion.target * motion.weight + motion.offset
    left = subject.left_handed != (rng.random() < 0.1)  # now and then the other hand
    anchor = motion.anchor
    if left:
        angles = mirror_dofs(angles)
        anchor = {"l": "r", "r": "l"}.get(anchor, anchor)
    return _place(angles, anchor, motion.lying, subject.body), seated


def bystander(subject: Subject, frames: int, fps: float, rng: np.random.Generator) -> np.ndarray:
    """A second person who idles or walks about: body-frame positions (T, 25, 3)."""
    if rng.random() < 0.3:
        pos, _ = perform("walk", subject, frames, fps, rng, seated=False)
        return pos
    t = np.arange(frames) / fps
    seated = np.full(frames, 1.0 if rng.random() < 0.2 else 0.0)
    return _place(_posture(t, seated, rng, subject.idle_style), "mid", False, subject.body)


def sensor(world: np.ndarray, camera: Camera, rng: np.random.Generator, hide_legs: bool) -> np.ndarray:
    """World positions (T, M, 25, 3) -> what the sensor reports: camera space, noise (more for
    hands and feet and with distance), rare outliers, occluded legs, dropped frames."""
    cam = camera.to_camera(world)
    t, m, v, _ = cam.shape
    centre = cam[:, :, 1]  # SpineMid: outside the field of view the tracker loses the person
    x_over_z = np.abs(centre[..., 0]) / np.maximum(centre[..., 2], 1e-3)
    y_over_z = np.abs(centre[..., 1]) / np.maximum(centre[..., 2], 1e-3)
    unseen = (centre[..., 2] < _MIN_DEPTH_M) | (x_over_z > _HALF_FOV_TAN[0]) | (y_over_z > _HALF_FOV_TAN[1])
    sigma = rng.uniform(0.002, 0.012) * (cam[..., 2:3] / 3.0)
    scale = np.ones(v)
    scale[list(_DISTAL)] = 2.0
    cam = cam + rng.normal(size=cam.shape) * sigma * scale[None, None, :, None]
    outliers = rng.random((t, m, v)) < 0.002
    cam[outliers] += rng.normal(0, 0.08, size=(int(outliers.sum()), 3))
    if hide_legs:
        cam[:, :, list(_LEGS)] = 0.0
    cam[unseen] = 0.0
    if rng.random() < 0.3:  # the tracker loses a few frames: reported empty or repeated
        lost = np.flatnonzero(rng.random(t) < rng.uniform(0.02, 0.08))
        lost = lost[lost > 0]
        if rng.random() < 0.5:
            cam[lost] = 0.0
        else:
            for k in lost:
                cam[k] = cam[k - 1]
    return cam.astype(np.float32)
