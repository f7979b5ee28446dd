"""NTU RGB+D / NTU RGB+D 120 raw ``.skeleton`` files (Kinect v2, 30 fps, layout ntu25).

File name ``SsssCcccPpppRrrrAaaa.skeleton``: setup, camera, performer (subject), replication,
action. File body (whitespace-separated)::

    frameCount
    per frame:  bodyCount
      per body: bodyID clipedEdges handLeftConfidence handLeftState handRightConfidence
                handRightState isRestricted leanX leanY trackingState       (10 values)
                jointCount                                                  (25)
                25 x: x y z depthX depthY colorX colorY orientationW orientationX
                      orientationY orientationZ trackingState               (12 values)

Bodies are tracked across frames by bodyID; the ``persons`` with the most motion energy
(variance of joint positions over the frames where the body is present, summed over joints
and axes; the usual choice for NTU) are kept, most energetic first. As in the usual NTU
denoising, a body seen in fewer than 11 frames (a flicker of the tracker) ranks after every
body seen for longer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Iterator, List, Union

import numpy as np

from .errors import DatasetFormatError
from .ntu_labels import ntu_label
from .sequence import Sequence

NTU_FPS = 30.0
NTU_JOINTS = 25
MIN_STEADY_FRAMES = 11  # shorter-lived bodies are tracker noise (the NTU denoising rule)
_NAME = re.compile(r"S(\d{3})C(\d{3})P(\d{3})R(\d{3})A(\d{3})$")


def iter_ntu_skeleton(path: Union[str, Path], persons: int = 2, labels: str = "code") -> Iterator[Sequence]:
    """Sequences of a folder of .skeleton files (sorted by name) or of one file.

    labels: "code" ("A023") or "name" ("hand waving")."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.skeleton"))
        if not files:
            raise DatasetFormatError(path, "folder has no .skeleton files")
    else:
        files = [path]
    for f in files:
        yield read_ntu_skeleton_file(f, persons=persons, labels=labels)


def read_ntu_skeleton_file(path: Union[str, Path], persons: int = 2, labels: str = "code") -> Sequence:
    path = Path(path)
    match = _NAME.match(path.stem)
    if not match:
        raise DatasetFormatError(path, "file name does not follow SsssCcccPpppRrrrAaaa.skeleton")
    setup, camera, performer, replication, action = (int(g) for g in match.groups())
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise DatasetFormatError(path, f"cannot read as text: {e}") from None
    frames = _parse_bodies(path, lines, persons)
    return Sequence(
        frames=frames, layout="ntu25", fps=NTU_FPS, id=path.stem, label=ntu_label(action, labels),
        subject=f"P{performer:03d}", view=f"C{camera:03d}",
        meta={"setup": f"S{setup:03d}", "camera": f"C{camera:03d}", "replication": f"R{replication:03d}"},
    )


class _Lines:
    """Cursor over a file's lines that reports 1-based line numbers in errors."""

    def __init__(self, path: Path, lines: List[str]):
        self.path, self.lines, self.pos = path, lines, 0

    def fail(self, problem: str, line: int = None) -> DatasetFormatError:
        return DatasetFormatError(self.path, problem, line if line is not None else self.pos)

    def numbers(self, count: int, what: str, integer: bool = False) -> list:
        if self.pos >= len(self.lines):
            raise self.fail(f"file ends early: expected {what}", len(self.lines))
        self.pos += 1
        tokens = self.lines[self.pos - 1].split()
        if len(tokens) != count:
            raise self.fail(f"{what}: expected {count} values, found {len(tokens)}")
        try:
            values = [int(t) for t in tokens] if integer else [float(t) for t in tokens]
        except ValueError:
            raise self.fail(f"{what}: non-numeric value in {' '.join(tokens)[:80]!r}") from None
        if not integer and not np.isfinite(values).all():
            raise self.fail(f"{what}: NaN or infinite value")
        return values


def _parse_bodies(path: Path, lines: List[str], persons: int) -> np.ndarray:
    cur = _Lines(path, lines)
    (frame_count,) = cur.numbers(1, "frame count", integer=True)
    if frame_count <= 0:
        raise cur.fail(f"frame count {frame_count}: the file has no frames")
    tracks: Dict[str, np.ndarray] = {}  # bodyID -> (T, 25, 3), zeros where the body is absent
    for t in range(frame_count):
        (body_count,) = cur.numbers(1, f"frame {t}: body count", integer=True)
        if body_count < 0:
            raise cur.fail(f"frame {t}: negative body count {body_count}")
        for b in range(body_count):
            if cur.pos >= len(lines):
                raise cur.fail(f"file ends early: expected frame {t} body {b} info line", len(lines))
            body_tokens = lines[cur.pos].split()
            cur.numbers(10, f"frame {t} body {b}: body info")
            body_id = body_tokens[0]
            (joint_count,) = cur.numbers(1, f"frame {t} body {b}: joint count", integer=True)
            if joint_count != NTU_JOINTS:
                raise cur.fail(f"frame {t} body {b}: joint count {joint_count}, layout ntu25 needs {NTU_JOINTS}")
            joints = [cur.numbers(12, f"frame {t} body {b} joint {v}")[:3] for v in range(NTU_JOINTS)]
            track = tracks.setdefault(body_id, np.zeros((frame_count, NTU_JOINTS, 3), dtype=np.float32))
            if np.any(track[t]):
                raise cur.fail(f"frame {t}: body ID {body_id} appears twice")
            track[t] = joints
    for rest in range(cur.pos, len(lines)):
        if lines[rest].strip():
            raise cur.fail(f"unexpected content after the last frame: {lines[rest].strip()[:40]!r}", rest + 1)
    steady = min(MIN_STEADY_FRAMES, frame_count)
    kept = sorted(tracks.values(), key=lambda tr: (frames_present(tr) >= steady, motion_energy(tr)),
                  reverse=True)[:persons]
    out = np.zeros((frame_count, persons, NTU_JOINTS, 3), dtype=np.float32)
    for m, track in enumerate(kept):
        out[:, m] = track
    return out


def frames_present(track: np.ndarray) -> int:
    return int(np.any(track != 0.0, axis=(1, 2)).sum())


def motion_energy(track: np.ndarray) -> float:
    """(T, V, 3) with zero frames where absent -> summed variance over the present frames."""
    present = np.any(track != 0.0, axis=(1, 2))
    if present.sum() < 2:
        return 0.0
    return float(track[present].var(axis=0).sum())
