"""The one error every dataset reader raises for bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union


class DatasetFormatError(ValueError):
    """A dataset file does not follow its format.

    The message names the file, the line (1-based) when one is known, and what is wrong,
    e.g. ``data/x.jsonl:17: frame 3 person 0 joint 12 has 2 values, expected 3``.
    """

    def __init__(self, path: Union[str, Path], problem: str, line: Optional[int] = None):
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")
