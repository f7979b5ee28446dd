"""JSON Lines sequences (DESIGN.md contract 4), plain ``.jsonl`` or gzipped ``.jsonl.gz``.

One JSON object per line, one sequence per object::

    {"id": "s07_take3", "label": "wave", "layout": "ntu25", "fps": 30, "subject": "s07",
     "view": "front", "frames": [ [ [[x,y,z], ... V joints], ... M persons ], ... T frames ]}

``id``, ``layout``, ``fps`` and ``frames`` are required; ``label``, ``subject``, ``view`` optional.
Frames may list fewer persons in some frames than others: missing persons are zeros.
"""

from __future__ import annotations

import gzip
import io
import json
import math
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional, Union

import numpy as np

from ..layouts import LayoutError, get_layout
from .errors import DatasetFormatError
from .frames_text import format_frames, json_frames
from .sequence import Sequence

PathLike = Union[str, Path]


def _open_text(path: PathLike, mode: str) -> IO[str]:
    if str(path).endswith(".gz"):
        # level 6: within 5% of the smallest file at a third of level 9's time
        return io.TextIOWrapper(gzip.open(path, mode + "b", compresslevel=6), encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def iter_jsonl(path: PathLike) -> Iterator[Sequence]:
    """Sequences of a JSON Lines file one at a time (for files too big to hold as JSON text).
    Blank lines are allowed; anything else wrong raises DatasetFormatError with the line."""
    try:
        f = _open_text(path, "r")
    except OSError as e:
        raise DatasetFormatError(path, f"cannot open: {e.strerror or e}") from None
    with f:
        lineno = 0
        while True:
            try:
                line = f.readline()
            except (OSError, EOFError, UnicodeDecodeError) as e:  # truncated gzip, binary junk
                raise DatasetFormatError(path, f"unreadable after line {lineno}: {e}", lineno + 1) from None
            if not line:
                return
            lineno += 1
            if line.strip():
                yield parse_sequence_line(line, path, lineno)


def read_jsonl(path: PathLike) -> list:
    return list(iter_jsonl(path))


def parse_sequence_line(line: str, path: PathLike, lineno: int) -> Sequence:
    """One JSON Lines object -> Sequence; DatasetFormatError(path, problem, lineno) when wrong."""

    def fail(problem: str) -> DatasetFormatError:
        return DatasetFormatError(path, problem, lineno)

    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise fail(f"not valid JSON: {e.msg} at column {e.colno}") from None
    if not isinstance(obj, dict):
        raise fail(f"expected a JSON object, got {type(obj).__name__}")
    for key in ("id", "layout", "fps", "frames"):
        if key not in obj:
            raise fail(f"missing key {key!r}")
    try:
        layout = get_layout(obj["layout"]) if isinstance(obj["layout"], str) else None
    except LayoutError as e:
        raise fail(str(e)) from None
    if layout is None:
        raise fail(f"'layout' must be a string, got {obj['layout']!r}")
    fps = obj["fps"]
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not math.isfinite(fps) or fps <= 0:
        raise fail(f"'fps' must be a positive number, got {fps!r}")
    optional = {}
    for key in ("label", "subject", "view"):
        value = obj.get(key)
        if value is not None and not isinstance(value, (str, int)):
            raise fail(f"{key!r} must be a string, got {value!r}")
        optional[key] = str(value) if value is not None else None
    frames = _frames_array(obj["frames"], layout.num_joints, layout.name, fail)
    return Sequence(frames=frames, layout=layout.name, fps=float(fps), id=str(obj["id"]), **optional)


def _frames_array(raw, joints: int, layout_name: str, fail) -> np.ndarray:
    """Nested lists T x M x V x 3 -> float32 (T, M, V, 3); persons padded to the largest M."""
    if not isinstance(raw, list) or not raw:
        raise fail("'frames' must be a non-empty list of frames")
    try:
        arr = np.asarray(raw)  # a numeric kind only when every value is a number
        regular = arr.dtype.kind in "fiu" and arr.ndim == 4 and arr.shape[2:] == (joints, 3)
    except (ValueError, TypeError):
        regular = False
    arr = arr.astype(np.float32) if regular else _ragged_frames(raw, joints, layout_name, fail)
    if not np.isfinite(arr).all():
        t, m, v, _ = np.argwhere(~np.isfinite(arr))[0]
        raise fail(f"frame {t} person {m} joint {v} is not a finite number (NaN, infinity or null)")
    return arr


def _ragged_frames(raw, joints: int, layout_name: str, fail) -> np.ndarray:
    """Slow path: find the first malformed entry, or pad frames with fewer persons."""
    persons = 0
    for t, frame in enumerate(raw):
        if not isinstance(frame, list):
            raise fail(f"frame {t} must be a list of persons")
        persons = max(persons, len(frame))
        for m, person in enumerate(frame):
            if not isinstance(person, list):
                raise fail(f"frame {t} person {m} must be a list of joints")
            if len(person) != joints:
                raise fail(f"frame {t} person {m} has {len(person)} joints, layout {layout_name} has {joints}")
            for v, joint in enumerate(person):
                if not isinstance(joint, list) or len(joint) != 3:
                    n = len(joint) if isinstance(joint, list) else "no list of"
                    raise fail(f"frame {t} person {m} joint {v} has {n} values, expected 3 (x, y, z)")
                for c in joint:
                    if isinstance(c, bool) or not isinstance(c, (int, float)) and c is not None:
                        raise fail(f"frame {t} person {m} joint {v} has a non-numeric value {c!r}")
    if persons == 0:
        raise fail("no frame has any person")
    arr = np.zeros((len(raw), persons, joints, 3), dtype=np.float32)
    for t, frame in enumerate(raw):
        if frame:
            arr[t, : len(frame)] = np.asarray(frame, dtype=np.float32)
    return arr


def write_jsonl(sequences: Iterable[Sequence], path: PathLike, decimals: Optional[int] = None) -> int:
    """Write sequences as JSON Lines (gzip when ``path`` ends with .gz); returns the count.

    decimals: round coordinates to this many decimals (3 = millimetres) for smaller files;
    None writes each float32 exactly (reading back gives identical arrays).
    """
    count = 0
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with _open_text(path, "w") as f:
        for seq in sequences:
            f.write(sequence_line(seq, decimals))
            f.write("\n")
            count += 1
    return count


def sequence_line(seq: Sequence, decimals: Optional[int] = None) -> str:
    """One sequence as a JSON Lines object (no trailing newline)."""
    fps = int(seq.fps) if float(seq.fps).is_integer() else float(seq.fps)
    head = {"id": seq.id}
    if seq.label is not None:
        head["label"] = seq.label
    head.update(layout=seq.layout, fps=fps)
    for key in ("subject", "view"):
        if getattr(seq, key) is not None:
            head[key] = getattr(seq, key)
    frames = np.asarray(seq.frames, dtype=np.float32)
    text = format_frames(frames, decimals) if decimals is not None else json_frames(frames, None)
    return json.dumps(head, separators=(",", ":"))[:-1] + ',"frames":' + text + "}"
