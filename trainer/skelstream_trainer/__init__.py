"""SkelStream trainer: skeleton datasets, masked pre-training, probe/fine-tune and ONNX export."""

import os

# Debian's torch runs OpenMP workers beside an OpenBLAS thread pool. OpenMP workers that spin while they wait take
# the cores the BLAS threads need: with 2 threads on 2 cores training ran at 0.6x of 1 thread; passive waiting
# makes it 1.2x. Read once, when torch loads its OpenMP runtime, so it is set here, before any torch import;
# an explicit OMP_WAIT_POLICY in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
