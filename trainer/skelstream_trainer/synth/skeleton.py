"""A kinematic ntu25 skeleton: bone offsets, joint-angle degrees of freedom (DOFs) and
forward kinematics over the layout's bone tree (from schemas/layouts.json).

Body frame (before the scene places the body): metres, y up, +x the subject's LEFT,
-z the direction the subject faces; the root (SpineBase) at the origin. Rotations are
attached to bones: a joint's frame is its parent's frame times the local rotation of the
bone that ends at the joint, and joint = parent joint + frame @ rest offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Tuple

import numpy as np

from ..layouts import Layout, get_layout

# Joint-angle DOFs, radians unless noted. Anatomical signs: flexion > 0 moves a limb
# forward (knee: bends back), abduction > 0 away from the midline, twist > 0 inward,
# lateral/roll/yaw > 0 toward the subject's left.
DOFS: Tuple[str, ...] = (
    "root_pitch", "root_roll", "root_yaw",        # whole body: tip forward, tip left, turn left
    "root_forward", "root_left", "root_lift",     # metres: walking translation and jump height
    "spine_flex", "spine_lat", "spine_twist",
    "neck_flex", "neck_lat", "neck_yaw",
    "sh_flex_l", "sh_abd_l", "sh_twist_l", "el_flex_l", "wr_flex_l",
    "sh_flex_r", "sh_abd_r", "sh_twist_r", "el_flex_r", "wr_flex_r",
    "hip_flex_l", "hip_abd_l", "knee_flex_l", "ankle_flex_l",
    "hip_flex_r", "hip_abd_r", "knee_flex_r", "ankle_flex_r",
)
DOF = {name: i for i, name in enumerate(DOFS)}
# Mirroring a motion (left-handed subject): swap _l/_r DOFs, negate the sideways ones.
_SIDEWAYS = ("root_roll", "root_yaw", "root_left", "spine_lat", "spine_twist", "neck_lat", "neck_yaw")
MIRROR_INDEX = np.array([DOF[n[:-1] + ("r" if n.endswith("_l") else "l")] if n.endswith(("_l", "_r")) else DOF[n]
                         for n in DOFS])
MIRROR_SIGN = np.array([-1.0 if n in _SIDEWAYS else 1.0 for n in DOFS])


def mirror_dofs(angles: np.ndarray) -> np.ndarray:
    """(T, len(DOFS)) motion of the right hand -> the same motion done with the left."""
    return angles[:, MIRROR_INDEX] * MIRROR_SIGN


# Rest offsets (metres, 1.75 m adult, arms hanging) from each joint's parent, by ntu25 name.
_REST: Dict[str, Tuple[float, float, float]] = {
    "SpineMid": (0.0, 0.26, 0.0), "SpineShoulder": (0.0, 0.23, 0.0), "Neck": (0.0, 0.07, 0.0),
    "Head": (0.0, 0.14, -0.01),
    "ShoulderLeft": (0.17, -0.04, 0.0), "ElbowLeft": (0.0, -0.28, 0.0), "WristLeft": (0.0, -0.25, 0.0),
    "HandLeft": (0.0, -0.07, 0.0), "HandTipLeft": (0.0, -0.07, 0.0), "ThumbLeft": (-0.02, -0.05, -0.04),
    "HipLeft": (0.08, -0.05, 0.0), "KneeLeft": (0.0, -0.42, 0.0), "AnkleLeft": (0.0, -0.40, 0.0),
    "FootLeft": (0.0, -0.06, -0.12),
}
for _name, (_x, _y, _z) in list(_REST.items()):  # right side = left side with x negated
    if _name.endswith("Left"):
        _REST[_name[:-4] + "Right"] = (-_x, _y, _z)
# Bone groups that vary together between subjects.
_GROUPS = {
    "torso": ("SpineMid", "SpineShoulder", "Neck", "Head"),
    "shoulders": ("ShoulderLeft", "ShoulderRight"),
    "arms": ("ElbowLeft", "WristLeft", "ElbowRight", "WristRight"),
    "hands": ("HandLeft", "HandTipLeft", "ThumbLeft", "HandRight", "HandTipRight", "ThumbRight"),
    "hips": ("HipLeft", "HipRight"),
    "legs": ("KneeLeft", "AnkleLeft", "KneeRight", "AnkleRight"),
    "feet": ("FootLeft", "FootRight"),
}


@dataclass(frozen=True)
class Body:
    """A subject's bone geometry: rest offset of every joint from its parent, (V, 3) metres."""

    offsets: np.ndarray

    @staticmethod
    def sample(rng: np.random.Generator, height_m: float) -> "Body":
        lay = get_layout("ntu25")
        offsets = np.zeros((lay.num_joints, 3))
        for j, name in enumerate(lay.joints):
            if lay.parents[j] >= 0:
                offsets[j] = _REST[name]
        offsets *= height_m / 1.75
        for names in _GROUPS.values():  # proportions differ by up to ~8% per group
            offsets[[lay.index(n) for n in names]] *= rng.uniform(0.92, 1.08)
        return Body(offsets)


def _rot(axis: int, angle: np.ndarray) -> np.ndarray:
    """Rotation matrices about x (0), y (1) or z (2): angle (T,) -> (T, 3, 3)."""
    c, s = np.cos(angle), np.sin(angle)
    r = np.zeros(angle.shape + (3, 3))
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    r[:, axis, axis] = 1.0
    r[:, i, i], r[:, i, j], r[:, j, i], r[:, j, j] = c, -s, s, c
    return r


def _chain(*rotations: np.ndarray) -> np.ndarray:
    out = rotations[0]
    for r in rotations[1:]:
        out = out @ r
    return out


def _topological_order(layout: Layout) -> List[int]:
    order, frontier = [], [layout.root]
    while frontier:
        j = frontier.pop(0)
        order.append(j)
        frontier.extend(c for c, p in layout.bones if p == j)
    return order


def forward_kinematics(angles: np.ndarray, body: Body) -> np.ndarray:
    """Joint angles (T, len(DOFS)) -> joint positions (T, 25, 3) in the body frame, root at 0.

    root_forward / root_left / root_lift are applied later by the scene, not here."""
    lay = get_layout("ntu25")
    a = {name: angles[:, i] for name, i in DOF.items()}
    t = angles.shape[0]
    rx, ry, rz = (lambda v: _rot(0, v)), (lambda v: _rot(1, v)), (lambda v: _rot(2, v))
    half_flex, half_lat = -a["spine_flex"] / 2, a["spine_lat"] / 2  # spine bends over two bones
    local = {
        "SpineMid": _chain(rx(half_flex), rz(-half_lat)),
        "SpineShoulder": _chain(rx(half_flex), rz(-half_lat), ry(-a["spine_twist"])),
        "Neck": _chain(ry(-a["neck_yaw"]), rx(-a["neck_flex"]), rz(-a["neck_lat"])),
        "Head": rx(-a["neck_flex"] / 2),
    }
    for side, sign in (("l", 1.0), ("r", -1.0)):
        s = "Left" if side == "l" else "Right"
        # upper arm: abduction (away from the midline), flexion (forward), twist (inward)
        local["Elbow" + s] = _chain(rz(sign * a["sh_abd_" + side]), rx(a["sh_flex_" + side]),
                                    ry(sign * a["sh_twist_" + side]))
        local["Wrist" + s] = rx(a["el_flex_" + side])
        local["Hand" + s] = rx(a["wr_flex_" + side])
        local["Knee" + s] = _chain(rz(sign * a["hip_abd_" + side]), rx(a["hip_flex_" + side]))
        local["Ankle" + s] = rx(-a["knee_flex_" + side])
        local["Foot" + s] = rx(a["ankle_flex_" + side])
    root = _chain(ry(-a["root_yaw"]), rx(-a["root_pitch"]), rz(-a["root_roll"]))
    frames = {lay.root: root}
    pos = np.zeros((t, lay.num_joints, 3))
    for j in _topological_order(lay)[1:]:
        p = lay.parents[j]
        frame = frames[p] @ local[lay.joints[j]] if lay.joints[j] in local else frames[p]
        frames[j] = frame
        pos[:, j] = pos[:, p] + frame @ body.offsets[j]
    return pos
