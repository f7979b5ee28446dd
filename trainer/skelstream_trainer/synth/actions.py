"""The synthetic action classes, each a joint-angle trajectory for a right-handed subject
(left-handed subjects get the mirrored motion). An action returns a :class:`Motion` that is
blended over the idle posture; random draws give every performance its own amplitude,
tempo, repetitions and variant.
"""

from __future__ import annotations

from typing import Callable, Dict

import numpy as np

from .motion import Motion, Scene, hold, pulse, ramp

ARM_R = ("sh_flex_r", "sh_abd_r", "sh_twist_r", "el_flex_r", "wr_flex_r")
ARM_L = ("sh_flex_l", "sh_abd_l", "sh_twist_l", "el_flex_l", "wr_flex_l")


def _envelope(s: Scene, lo: float = 0.12, hi: float = 0.25) -> np.ndarray:
    """Blend in at the start of the action and out at its end."""
    r = s.rng.uniform(lo, hi)
    return hold(s.u, 0.0, r, 1.0 - r, 1.0)


def _arm(m: Motion, side: str, e, flex=None, abd=None, twist=None, elbow=None, wrist=None) -> None:
    for name, value in (("sh_flex", flex), ("sh_abd", abd), ("sh_twist", twist), ("el_flex", elbow),
                        ("wr_flex", wrist)):
        if value is not None:
            m.set(f"{name}_{side}", value, e)


def wave(s: Scene) -> Motion:
    m, e = Motion(len(s.t)), _envelope(s)
    osc = np.sin(2 * np.pi * s.rng.uniform(1.5, 3.0) * s.speed * s.local_t)
    _arm(m, "r", e, flex=s.goal(125, 165), abd=s.deg(15, 45) + s.deg(12, 25) * osc,
         elbow=s.goal(15, 45) + s.deg(8, 20) * osc, twist=s.deg(-10, 10), wrist=s.deg(-10, 10) * osc)
    m.add("neck_yaw", -s.deg(0, 15) * e)
    return m


def clap(s: Scene) -> Motion:
    m, e = Motion(len(s.t)), _envelope(s)
    close = 0.5 + 0.5 * np.sin(2 * np.pi * s.rng.uniform(1.8, 3.2) * s.speed * s.local_t)
    flex, abd, elbow = s.goal(35, 70), s.goal(5, 20), s.goal(70, 100)
    twist = s.goal(-10, 10) + s.goal(35, 45) * close  # the hands meet at the top of each clap
    for side in "lr":
        _arm(m, side, e, flex=flex, abd=abd, elbow=elbow, twist=twist)
    return m


def drink(s: Scene) -> Motion:
    m = Motion(len(s.t))
    top = s.rng.uniform(0.25, 0.35)
    down = s.rng.uniform(0.6, 0.8)
    e = hold(s.u, 0.0, top, down, 1.0)
    abd = s.goal(-10, 20)  # hand at the mouth: the twist makes up for the abduction
    _arm(m, "r", e, flex=s.goal(75, 85), abd=abd, twist=np.radians(40) - abd + s.goal(-5, 5),
         elbow=s.goal(115, 125), wrist=s.deg(-25, 0))
    m.add("neck_flex", -s.deg(10, 25) * hold(s.u, top, top + 0.1, down - 0.05, down + 0.05))
    return m


def phone_call(s: Scene) -> Motion:
    m = Motion(len(s.t))
    e = hold(s.u, 0.0, s.rng.uniform(0.12, 0.22), s.rng.uniform(0.8, 0.9), 1.0)
    abd = s.goal(10, 50)  # hand at the right ear
    _arm(m, "r", e, flex=s.goal(100, 115), abd=abd, twist=np.radians(10) - abd + s.goal(-5, 5),
         elbow=s.goal(120, 135), wrist=s.deg(-10, 10))
    m.add("neck_lat", -s.deg(5, 15) * e)
    m.add("neck_flex", s.deg(0, 6) * np.sin(2 * np.pi * 0.7 * s.local_t) * e)  # talking
    return m


def _sit_transition(s: Scene, sitting: bool) -> Motion:
    m = Motion(len(s.t))
    a, b = s.rng.uniform(0.05, 0.2), s.rng.uniform(0.75, 0.95)
    w = ramp(s.u, a, b)
    m.seated = w if sitting else 1.0 - w
    lean = np.sin(np.pi * np.clip((s.u - a) / (b - a), 0, 1))  # trunk leans forward mid-way
    m.add("root_pitch", s.deg(15, 30) * lean)
    m.add("spine_flex", s.deg(10, 25) * lean)
    m.add("neck_flex", -s.deg(0, 15) * lean)
    for side in "lr":
        m.add(f"sh_flex_{side}", s.deg(10, 40) * lean)
    return m


def sit_down(s: Scene) -> Motion:
    return _sit_transition(s, sitting=True)


def stand_up(s: Scene) -> Motion:
    return _sit_transition(s, sitting=False)


def fall(s: Scene) -> Motion:
    m = Motion(len(s.t))
    m.lying = True
    u = s.u
    stagger = hold(u, 0.0, 0.1, 0.25, 0.4)
    m.add("root_roll", s.deg(3, 8) * np.sin(2 * np.pi * s.rng.uniform(1.5, 3) * s.local_t) * stagger)
    c = ramp(u, s.rng.uniform(0.2, 0.35), s.rng.uniform(0.55, 0.7))  # collapse
    knees = s.deg(40, 90) * np.sin(np.pi * np.clip(c * 1.2, 0, 1)) + s.deg(5, 30) * c
    for side in "lr":
        m.set(f"knee_flex_{side}", knees, c)
        m.set(f"hip_flex_{side}", knees * 0.6, c)
    variant = s.rng.choice(["forward", "side", "backward"], p=[0.5, 0.3, 0.2])
    if variant == "forward":
        m.set("root_pitch", s.goal(78, 90), c)
        overhead = s.rng.random() < 0.5  # arms stretched out ahead on the floor, or along the body
        for side in "lr":
            _arm(m, side, c, flex=s.goal(140, 170) if overhead else s.goal(0, 30), abd=s.deg(10, 40),
                 elbow=s.deg(10, 50))
    elif variant == "side":
        down = "l" if s.rng.random() < 0.5 else "r"
        m.set("root_roll", s.goal(75, 88) * (1 if down == "l" else -1), c)
        for side in "lr":  # the arm underneath stays along the body, the upper one is thrown out
            _arm(m, side, c, flex=s.deg(10, 50), abd=s.goal(0, 15) if side == down else s.deg(30, 90),
                 elbow=s.deg(10, 60))
    else:
        m.set("root_pitch", -s.goal(75, 88), c)
        for side in "lr":
            _arm(m, side, c, flex=s.deg(30, 90), abd=s.deg(20, 60), elbow=s.deg(10, 40))
    m.add("neck_flex", s.deg(5, 25) * c)
    return m


def walk(s: Scene) -> Motion:
    m, e = Motion(len(s.t)), _envelope(s, 0.08, 0.15)
    f = s.rng.uniform(0.8, 1.05) * s.speed  # strides per second
    phi = 2 * np.pi * f * s.local_t
    across = s.rng.random() < 0.6
    if across:
        swing = s.deg(18, 30)
        hips = {"l": swing * np.sin(phi), "r": swing * np.sin(phi + np.pi)}
        knees = {k: s.deg(40, 60) * np.clip(np.sin(p - 1.0), 0, 1) ** 1.5 + s.deg(3, 10)
                 for k, p in (("l", phi), ("r", phi + np.pi))}
        speed = 2.0 * 0.85 * np.sin(swing) * 2 * f  # two steps of ~leg * sin(swing) per stride
        dt = np.diff(s.t, prepend=s.t[0])
        m.add("root_forward", np.cumsum(speed * e * dt))
        m.add("root_yaw", s.deg(-20, 20) * ramp(s.u, 0.3, 0.7))  # a gentle turn now and then
    else:  # marching on the spot
        lift = s.deg(30, 55)
        hips = {"l": lift * np.clip(np.sin(phi), 0, 1), "r": lift * np.clip(-np.sin(phi), 0, 1)}
        knees = {k: v * s.rng.uniform(1.4, 1.9) for k, v in hips.items()}
    for side, other in (("l", "r"), ("r", "l")):
        m.set(f"hip_flex_{side}", hips[side], e)
        m.set(f"knee_flex_{side}", knees[side], e)
        _arm(m, side, e, flex=-0.8 * hips[side] + s.deg(0, 8), abd=s.deg(5, 12), elbow=s.deg(10, 40))
    m.add("root_lift", 0.015 * np.abs(np.sin(phi)) * e)
    m.add("spine_twist", s.deg(2, 6) * np.sin(phi) * e)
    return m


def jump(s: Scene) -> Motion:
    m = Motion(len(s.t))
    count = int(s.rng.integers(1, 4))
    a, b = 0.05, 0.95
    cycle = (b - a) / count
    crouch, flight, lift = np.zeros(len(s.t)), np.zeros(len(s.t)), np.zeros(len(s.t))
    height = s.rng.uniform(0.08, 0.3) * s.amplitude
    for k in range(count):
        p = (s.u - a - k * cycle) / cycle  # phase of this jump, [0, 1]
        crouch += hold(p, 0.0, 0.3, 0.35, 0.45) + 0.7 * hold(p, 0.62, 0.72, 0.78, 1.0)
        air = np.clip((p - 0.42) / 0.24, 0, 1)
        fly = np.where((air > 0) & (air < 1), np.sin(np.pi * air), 0.0)
        flight += fly
        lift += height * fly
    depth = s.deg(50, 90)
    m.add("root_pitch", 0.45 * depth * crouch)
    m.add("spine_flex", 0.2 * depth * crouch)
    for side in "lr":
        m.add(f"hip_flex_{side}", 1.0 * depth * crouch)
        m.add(f"knee_flex_{side}", 1.1 * depth * crouch)
        m.add(f"ankle_flex_{side}", -0.3 * depth * flight)
        arms_up = s.deg(80, 160) * flight
        m.set(f"sh_flex_{side}", -s.deg(20, 45) * crouch + arms_up, np.clip(crouch + flight, 0, 1))
    m.add("root_lift", lift)
    return m


def kick(s: Scene) -> Motion:
    m, e = Motion(len(s.t)), _envelope(s, 0.1, 0.15)
    m.anchor = "l"  # the left foot stands
    count = int(s.rng.integers(1, 3))
    hip, knee = np.zeros(len(s.t)), np.zeros(len(s.t))
    height, chamber = s.deg(55, 95), s.deg(70, 100)
    for k in range(count):
        p = (s.u - 0.1 - k * 0.8 / count) / (0.8 / count)
        hip += height * hold(p, 0.0, 0.3, 0.6, 0.95)
        knee += chamber * (hold(p, 0.0, 0.2, 0.3, 0.42) + hold(p, 0.5, 0.62, 0.75, 0.95))
    m.add("hip_flex_r", hip)
    m.add("knee_flex_r", knee)
    m.add("spine_flex", -0.2 * hip)
    for side in "lr":
        _arm(m, side, e, flex=s.deg(20, 50), abd=s.deg(10, 30), elbow=s.deg(70, 110), twist=s.deg(10, 30))
    return m


def punch(s: Scene) -> Motion:
    m, e = Motion(len(s.t)), _envelope(s, 0.1, 0.15)
    guard_flex, guard_elbow, guard_twist = s.deg(30, 50), s.deg(100, 130), s.deg(20, 40)
    count = int(s.rng.integers(2, 5))
    alternate = s.rng.random() < 0.5
    reach = {"l": np.zeros(len(s.t)), "r": np.zeros(len(s.t))}
    span = (s.end - s.start) * 0.7
    for k in range(count):
        side = "l" if alternate and k % 2 else "r"
        start = s.start + (s.end - s.start) * 0.15 + k * span / count
        reach[side] = np.maximum(reach[side], pulse(s.t, start, s.rng.uniform(0.25, 0.45) / s.speed) ** 0.7)
    for side, sign in (("l", -1.0), ("r", 1.0)):
        q = reach[side]
        _arm(m, side, e, flex=guard_flex + (s.deg(75, 95) - guard_flex) * q, abd=s.deg(5, 20),
             twist=guard_twist * (1 - q), elbow=guard_elbow * (1 - q) + s.deg(0, 15) * q)
        m.add("spine_twist", sign * s.deg(10, 25) * q)  # the trunk turns into the punch
    return m


def reach_behind(s: Scene) -> Motion:
    m = Motion(len(s.t))
    e = hold(s.u, 0.0, s.rng.uniform(0.2, 0.35), s.rng.uniform(0.65, 0.85), 1.0)
    rummage = np.sin(2 * np.pi * s.rng.uniform(0.8, 2.0) * s.local_t)
    _arm(m, "r", e, flex=-s.deg(40, 70) + s.deg(0, 10) * rummage, abd=s.deg(30, 60), twist=-s.deg(0, 25),
         elbow=s.deg(10, 40))
    m.add("spine_twist", -s.deg(25, 45) * e)  # turns toward the right, over the shoulder
    m.add("neck_yaw", -s.deg(35, 70) * e)
    m.add("spine_lat", s.deg(0, 10) * e)
    return m


def bow(s: Scene) -> Motion:
    m = Motion(len(s.t))
    down = s.rng.uniform(0.3, 0.4)
    e = hold(s.u, 0.0, down, down + s.rng.uniform(0.1, 0.3), 1.0)
    tip, spine = s.deg(25, 55), s.deg(5, 20)
    m.add("root_pitch", tip * e)
    m.add("spine_flex", spine * e)
    m.add("neck_flex", s.deg(5, 20) * e)
    for side in "lr":
        m.add(f"hip_flex_{side}", tip * e)
        _arm(m, side, e, flex=0.9 * (tip + spine), abd=s.deg(0, 10), elbow=s.deg(0, 20))
    return m


def pick_up(s: Scene) -> Motion:
    m = Motion(len(s.t))
    u = s.u
    e = hold(u, 0.0, 0.35, 0.55, 0.95)
    bend, knee = s.goal(65, 90), s.goal(40, 90)
    m.add("root_pitch", bend * e)
    for side in "lr":
        m.add(f"hip_flex_{side}", (bend + 0.5 * knee) * e)
        m.add(f"knee_flex_{side}", knee * e)
    arm_e = hold(u, 0.0, 0.3, 0.85, 1.0)  # the hand reaches the floor, then carries the thing up
    _arm(m, "r", arm_e, flex=bend + s.goal(10, 30), abd=s.deg(0, 15), elbow=s.deg(0, 15) + s.deg(40, 70) * ramp(u, 0.5, 0.8))
    _arm(m, "l", e, flex=0.6 * bend, abd=s.deg(5, 15), elbow=s.deg(20, 50))
    return m


# Label -> (motion, nominal duration range in seconds at speed 1, may be done seated?)
ACTIONS: Dict[str, tuple] = {
    "wave": (wave, (1.5, 3.0), True),
    "clap": (clap, (1.2, 2.5), True),
    "drink": (drink, (1.8, 3.0), True),
    "phone call": (phone_call, (2.0, 3.5), True),
    "sit down": (sit_down, (1.2, 2.2), False),
    "stand up": (stand_up, (1.2, 2.2), False),
    "fall": (fall, (1.2, 2.2), False),
    "walk": (walk, (1.8, 3.5), False),
    "jump": (jump, (1.2, 2.8), False),
    "kick": (kick, (1.0, 2.0), False),
    "punch": (punch, (1.2, 2.4), True),
    "reach behind": (reach_behind, (1.8, 3.2), True),
    "bow": (bow, (1.2, 2.4), False),
    "pick up": (pick_up, (1.5, 2.8), False),
}
CLASSES = tuple(ACTIONS)
MotionFn = Callable[[Scene], Motion]
