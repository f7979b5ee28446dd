"""The BLAS thread pool, which torch.set_num_threads does not reach on every build.

Debian's torch multiplies matrices with OpenBLAS (pthread build), whose pool starts with one thread per core and
ignores torch.set_num_threads: "1 torch thread" then still uses every core for large products, and 2 torch threads
(OpenMP workers) plus the OpenBLAS pool oversubscribe the cores (several times slower on 2 cores). MKL builds (pip
wheels) follow torch's setting; there this finds no OpenBLAS and does nothing.
"""

import ctypes
from pathlib import Path
from typing import Optional


class BlasThreads:
    """The OpenBLAS pool size of this process, when torch multiplies matrices with OpenBLAS (None otherwise)."""

    def __init__(self):
        self._library = None
        for line in Path("/proc/self/maps").read_text().splitlines() if Path("/proc/self/maps").exists() else []:
            path = line.split()[-1]
            if "openblas" in path:
                try:
                    library = ctypes.CDLL(path)
                    library.openblas_get_num_threads()
                    self._library = library
                    break
                except (OSError, AttributeError):
                    continue

    @property
    def available(self) -> bool:
        return self._library is not None

    def get(self) -> Optional[int]:
        return int(self._library.openblas_get_num_threads()) if self._library else None

    def set(self, threads: int) -> None:
        if self._library:
            self._library.openblas_set_num_threads(int(threads))
