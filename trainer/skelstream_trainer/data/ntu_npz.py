"""The common preprocessed NTU ``.npz`` (as distributed with CTR-GCN / MAMP style code).

Arrays: ``x_train`` (N, 300, 150) = 300 frames x (2 persons x 25 joints x 3), zero-padded at
the end; ``y_train`` one-hot (N, 60 or 120); the same for ``x_test`` / ``y_test``.
Trailing all-zero frames are trimmed. Layout ntu25, 30 fps. Labels "A001".. (or names).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterator, Union

import numpy as np

from .errors import DatasetFormatError
from .ntu_labels import ntu_label
from .sequence import Sequence

SPLITS = ("train", "test")


def iter_ntu_npz(path: Union[str, Path], split: str = "train", labels: str = "code") -> Iterator[Sequence]:
    """Sequences of one split ("train" or "test") of a preprocessed NTU .npz."""
    if split not in SPLITS:
        raise ValueError(f"split {split!r}; expected one of {SPLITS}")
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as e:
        raise DatasetFormatError(path, f"not a readable .npz archive: {e}") from None
    with archive:
        xk, yk = f"x_{split}", f"y_{split}"
        for key in (xk, yk):
            if key not in archive.files:
                raise DatasetFormatError(path, f"missing array {key!r} (has {', '.join(archive.files)})")
        x, y = archive[xk], archive[yk]
    if x.ndim != 3 or x.shape[2] != 150:
        raise DatasetFormatError(path, f"{xk} has shape {x.shape}, expected (N, frames, 150 = 2 x 25 x 3)")
    if y.ndim == 1:
        classes = y.astype(np.int64)  # some exports store class indices instead of one-hot
    elif y.ndim == 2:
        if not np.all((y == 0) | (y == 1)) or not np.all(y.sum(axis=1) == 1):
            bad = int(np.argmax(~(((y == 0) | (y == 1)).all(axis=1) & (y.sum(axis=1) == 1))))
            raise DatasetFormatError(path, f"{yk} row {bad} is not one-hot")
        classes = y.argmax(axis=1)
    else:
        raise DatasetFormatError(path, f"{yk} has shape {y.shape}, expected (N, classes) one-hot")
    if len(classes) != len(x):
        raise DatasetFormatError(path, f"{xk} has {len(x)} samples but {yk} has {len(classes)}")
    for n in range(len(x)):
        sample = x[n].astype(np.float32)
        if not np.isfinite(sample).all():
            raise DatasetFormatError(path, f"{xk} sample {n} contains NaN or infinite values")
        nonzero = np.flatnonzero(np.any(sample != 0.0, axis=1))
        length = int(nonzero[-1]) + 1 if len(nonzero) else 1
        frames = sample[:length].reshape(length, 2, 25, 3)
        yield Sequence(frames=frames, layout="ntu25", fps=30.0, id=f"{split}{n:06d}",
                       label=ntu_label(int(classes[n]) + 1, labels), meta={"split": split, "index": n})
