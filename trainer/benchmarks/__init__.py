"""Trainer benchmarks. Importing the trainer package first sets its OpenMP wait policy before torch loads."""

import skelstream_trainer  # noqa: F401
