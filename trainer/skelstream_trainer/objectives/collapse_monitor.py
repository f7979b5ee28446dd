"""Collapse made visible: the per-dimension standard deviation of targets and embeddings.

A feature-prediction objective can cheat by making every target the same vector; then the
std of each feature dimension across the batch falls to zero. Objectives record it on every
step; statistics() is what pretrain logs and writes into metrics.json."""

from typing import Dict

import torch


def per_dimension_std(features: torch.Tensor) -> torch.Tensor:
    """features: [..., D] -> [D], std over everything but the last axis."""
    flat = features.detach().float().reshape(-1, features.shape[-1])
    return flat.std(0, unbiased=False)


class CollapseMonitor:
    """Exponential averages (weight 0.1 for the newest step) of the mean per-dimension std."""

    def __init__(self):
        self.values: Dict[str, float] = {}

    def record(self, name: str, features: torch.Tensor) -> None:
        std = per_dimension_std(features)
        for key, value in ((f"{name}_std_mean", float(std.mean())), (f"{name}_std_min", float(std.min()))):
            old = self.values.get(key)
            self.values[key] = value if old is None else 0.9 * old + 0.1 * value

    def statistics(self) -> Dict[str, float]:
        return {k: round(v, 6) for k, v in sorted(self.values.items())}
