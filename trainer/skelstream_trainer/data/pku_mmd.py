"""PKU-MMD (v1) skeletons cut into labelled clips (Kinect v2, 30 fps, layout ntu25).

Per video ``NNNN-V.txt`` (V = view L/M/R): a skeleton file with one line per frame of 150
floats (2 persons x 25 joints x 3; an absent second person is zeros), and a label file of
the same name with one line per action ``label,start,end[,confidence]`` (0-based inclusive
frame indices). Folder layout: ``path/`` holding one sub-folder whose name contains
"skeleton" and one whose name contains "label" (as in the release: PKU_Skeleton_Renew/,
Train_Label_PKU_final/), or pass ``label_dir`` with ``path`` the skeleton folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, List, Optional, Tuple, Union

import numpy as np

from .errors import DatasetFormatError
from .sequence import Sequence

PKU_FPS = 30.0


def find_pku_folders(path: Union[str, Path]) -> Optional[Tuple[Path, Path]]:
    """(skeleton folder, label folder) inside ``path``, or None when it is not laid out so."""
    path = Path(path)
    if not path.is_dir():
        return None
    subdirs = [d for d in sorted(path.iterdir()) if d.is_dir()]
    skel = [d for d in subdirs if "skeleton" in d.name.lower()]
    label = [d for d in subdirs if "label" in d.name.lower()]
    return (skel[0], label[0]) if len(skel) == 1 and len(label) == 1 else None


def iter_pku_mmd(path: Union[str, Path], label_dir: Union[str, Path, None] = None, persons: int = 2) -> Iterator[Sequence]:
    """Labelled clips of every video. Labels are the action ids as text ("1".."51")."""
    path = Path(path)
    if label_dir is None:
        found = find_pku_folders(path)
        if found is None:
            raise DatasetFormatError(path, "expected one sub-folder named *skeleton* and one named *label* "
                                           "(or pass label_dir)")
        skel_dir, label_dir = found
    else:
        skel_dir, label_dir = path, Path(label_dir)
    skel_files = sorted(skel_dir.glob("*.txt"))
    if not skel_files:
        raise DatasetFormatError(skel_dir, "no skeleton .txt files")
    label_names = {f.name for f in label_dir.glob("*.txt")}
    skel_names = {f.name for f in skel_files}
    for name in sorted(label_names - skel_names):
        raise DatasetFormatError(label_dir / name, "label file has no skeleton file of the same name")
    for skel_file in skel_files:
        if skel_file.name not in label_names:
            raise DatasetFormatError(skel_file, f"no label file {skel_file.name} in {label_dir}")
        frames = read_pku_skeleton(skel_file, persons)
        for k, (label, start, end, confidence) in enumerate(read_pku_labels(label_dir / skel_file.name, len(frames))):
            view = skel_file.stem.rsplit("-", 1)[-1] if "-" in skel_file.stem else None
            yield Sequence(frames=frames[start:end + 1].copy(), layout="ntu25", fps=PKU_FPS,
                           id=f"{skel_file.stem}#{k:03d}", label=label, subject=None, view=view,
                           meta={"video": skel_file.stem, "start": start, "end": end, "confidence": confidence})


def read_pku_skeleton(path: Path, persons: int = 2) -> np.ndarray:
    """One video's skeleton file -> float32 (N, persons, 25, 3)."""
    rows: List[np.ndarray] = []
    with open(path, "r", encoding="ascii", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            tokens = line.split()
            if not tokens:
                continue
            if len(tokens) != 150:
                raise DatasetFormatError(path, f"expected 150 values (2 persons x 25 joints x 3), found {len(tokens)}", lineno)
            try:
                row = np.array(tokens, dtype=np.float32)
            except ValueError:
                raise DatasetFormatError(path, "non-numeric value", lineno) from None
            if not np.isfinite(row).all():
                raise DatasetFormatError(path, "NaN or infinite value", lineno)
            rows.append(row)
    if not rows:
        raise DatasetFormatError(path, "skeleton file has no frames")
    frames = np.stack(rows).reshape(len(rows), 2, 25, 3)
    if persons <= 2:
        return frames[:, :persons].copy()
    out = np.zeros((len(rows), persons, 25, 3), dtype=np.float32)
    out[:, :2] = frames
    return out


def read_pku_labels(path: Path, num_frames: int) -> List[Tuple[str, int, int, Optional[float]]]:
    """Label file -> [(label, start, end, confidence)], frames checked against the video."""
    segments = []
    with open(path, "r", encoding="ascii", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            fields = [x.strip() for x in line.strip().split(",")]
            if len(fields) not in (3, 4):
                raise DatasetFormatError(path, f"expected label,start,end[,confidence], found {len(fields)} fields", lineno)
            try:
                label, start, end = int(fields[0]), int(fields[1]), int(fields[2])
                confidence = float(fields[3]) if len(fields) == 4 else None
            except ValueError:
                raise DatasetFormatError(path, f"non-numeric field in {line.strip()!r}", lineno) from None
            if start < 0 or end < start:
                raise DatasetFormatError(path, f"bad segment: start {start}, end {end}", lineno)
            if end >= num_frames:
                if end > num_frames:  # an end one past the last frame is a 1-based count; clamp it
                    raise DatasetFormatError(path, f"segment ends at frame {end}, the skeleton has {num_frames} frames", lineno)
                end = num_frames - 1
                if start > end:
                    raise DatasetFormatError(path, f"segment starts at frame {start}, the skeleton has {num_frames} frames", lineno)
            segments.append((str(label), start, end, confidence))
    return segments
