"""Skeleton datasets: readers, the Sequence they all yield, and clip sampling.

    from skelstream_trainer.data import read_sequences, write_jsonl
    seqs = read_sequences("data/ntu/nturgb+d_skeletons")     # format detected from the path
    seqs = read_sequences("NTU60_CS.npz", split="test")      # reader options pass through
    write_jsonl(seqs, "ntu_cs_test.jsonl.gz")

Formats (``fmt``): "jsonl" (.jsonl / .jsonl.gz, DESIGN.md contract 4), "ntu-skeleton"
(a folder of NTU RGB+D .skeleton files, or one file), "ntu-npz" (preprocessed NTU .npz;
option split="train"|"test"), "pku-mmd" (folder with *skeleton* and *label* sub-folders).
Reader options: ntu-skeleton persons=2, labels="code"|"name"; ntu-npz split, labels;
pku-mmd label_dir, persons. Every malformed input raises DatasetFormatError naming the
file and (where there is one) the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, List, Optional, Union

from .augment import Augmentation
from .clips import ClipDataset, ClipSampler
from .errors import DatasetFormatError
from .jsonl import iter_jsonl, read_jsonl, write_jsonl
from .ntu_npz import iter_ntu_npz
from .ntu_skeleton import iter_ntu_skeleton
from .pku_mmd import find_pku_folders, iter_pku_mmd
from .sequence import Sequence, pad_persons
from .windows import resample_window, window_times

FORMATS = ("jsonl", "ntu-skeleton", "ntu-npz", "pku-mmd")
_READERS = {"jsonl": iter_jsonl, "ntu-skeleton": iter_ntu_skeleton, "ntu-npz": iter_ntu_npz, "pku-mmd": iter_pku_mmd}


def detect_format(path: Union[str, Path]) -> str:
    """The format of ``path`` from its name and, for folders, their contents."""
    p = Path(path)
    name = p.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
        return "jsonl"
    if name.endswith(".npz"):
        return "ntu-npz"
    if name.endswith(".skeleton"):
        return "ntu-skeleton"
    if p.is_dir():
        if next(p.glob("*.skeleton"), None) is not None:
            return "ntu-skeleton"
        if find_pku_folders(p) is not None:
            return "pku-mmd"
    if not p.exists():
        raise DatasetFormatError(p, "no such file or folder")
    raise DatasetFormatError(p, f"cannot tell the dataset format from the path; pass one of {', '.join(FORMATS)}")


def iter_sequences(path: Union[str, Path], fmt: Optional[str] = None, **options) -> Iterator[Sequence]:
    """Sequences of a dataset one at a time; ``fmt`` None detects it from the path."""
    fmt = fmt or detect_format(path)
    if fmt not in _READERS:
        raise ValueError(f"unknown dataset format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not Path(path).exists():
        raise DatasetFormatError(path, "no such file or folder")
    return _READERS[fmt](path, **options)


def read_sequences(path: Union[str, Path], fmt: Optional[str] = None, **options) -> List[Sequence]:
    """All sequences of a dataset as a list (see :func:`iter_sequences`)."""
    return list(iter_sequences(path, fmt, **options))


__all__ = [
    "Augmentation", "ClipDataset", "ClipSampler", "DatasetFormatError", "FORMATS", "Sequence", "detect_format",
    "iter_jsonl", "iter_sequences", "pad_persons", "read_jsonl", "read_sequences", "resample_window",
    "window_times", "write_jsonl",
]
