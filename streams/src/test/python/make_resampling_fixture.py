"""Writes streams/src/test/resources/io/skelstream/streams/window/resampling-fixture.json: cases of the trainer's
window resampling (skelstream_trainer.data.windows.resample_window) that WindowResamplerTest replays bit for bit.

Run from the repository root with Debian's Python:  /usr/bin/python3 streams/src/test/python/make_resampling_fixture.py
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
sys.path.insert(0, os.path.join(ROOT, "trainer"))
from skelstream_trainer.data.windows import resample_window  # noqa: E402

OUT = os.path.join(ROOT, "streams", "src", "test", "resources", "io", "skelstream", "streams", "window",
                   "resampling-fixture.json")
V = 4
T0_MICROS = 1_795_262_340_000_000  # epoch-scale capture times, as in production


def case(name, rng, fps_in, n, t, fps, end_offset_micros, drop=(), absent=()):
    times = np.array([T0_MICROS + round(i * 1e6 / fps_in) for i in range(n)], dtype=np.int64)
    keep = [i for i in range(n) if i not in drop]
    times = times[keep]
    frames = rng.normal(0.0, 1.0, size=(len(times), 1, V, 3)).astype(np.float32)
    for frame, joint in absent:
        frames[frame, 0, joint, :] = 0.0
    t_end_micros = int(T0_MICROS + end_offset_micros)
    out = resample_window(frames, times / 1e6, t_end_micros / 1e6, fps, t)
    return {"name": name, "fps": fps, "frames": t, "joints": V, "end_micros": t_end_micros,
            "times_micros": [int(x) for x in times],
            "values": [float(x) for x in frames[:, 0].reshape(-1)],
            "expected": [float(x) for x in out[:, 0].reshape(-1)]}


def main():
    rng = np.random.default_rng(7)
    cases = [
        case("30fps into 30fps", rng, 30, 20, 8, 30.0, 450_000),
        case("15fps into 30fps", rng, 15, 12, 8, 30.0, 600_000),
        case("25fps into 30fps", rng, 25, 15, 16, 30.0, 560_000),
        case("60fps into 30fps", rng, 60, 40, 8, 30.0, 400_000),
        case("30fps into 20fps model", rng, 30, 30, 10, 20.0, 900_000),
        case("dropped frames", rng, 30, 24, 12, 30.0, 700_000, drop=(5, 6, 7, 12)),
        case("absent joints take the nearer frame", rng, 25, 15, 12, 30.0, 500_000,
             absent=((3, 1), (4, 2), (6, 0), (6, 1), (7, 3))),
        case("window reaching before the first frame", rng, 30, 10, 16, 30.0, 250_000),
        case("window reaching after the last frame", rng, 30, 10, 8, 30.0, 400_000),
    ]
    with open(OUT, "w") as f:
        json.dump({"source": "skelstream_trainer.data.windows.resample_window", "cases": cases}, f)
    print("wrote", OUT, len(cases), "cases")


if __name__ == "__main__":
    main()
