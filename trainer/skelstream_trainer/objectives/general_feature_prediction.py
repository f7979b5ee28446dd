"""General Feature Prediction (Sun et al. 2025): predict a few multi-scale features, not every token.

A lightweight target network, trained jointly, turns the unmasked window into one feature
per temporal patch (from coordinates and motion, pooled over joints), then pools it at
several temporal scales: short windows (local motion) up to the whole window (a global
summary). With Tp = 8 patches and scales (2, 4, 8) that is 4 + 2 + 1 = 7 targets per person
instead of Tp * V = 200 tokens. Learned queries attend to the student's visible tokens to
predict them (MSE). VICReg variance and covariance terms on the targets keep them diverse,
so the jointly trained target network cannot collapse to a constant.
"""

from typing import Any, Dict, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ..masking import MASKING
from ..targets import patchify
from ..targets.motion import temporal_difference
from . import OBJECTIVES
from .collapse_monitor import CollapseMonitor
from .owned_modules import OwnedModules


class MultiScaleTargetNetwork(nn.Module):
    """x: [N, T, V, 3] -> targets [N, Q, D], Q = sum over scales of Tp / scale."""

    def __init__(self, num_joints: int, patch_size: int, dim: int, scales: Sequence[int]):
        super().__init__()
        self.num_joints, self.patch_size, self.scales = num_joints, patch_size, list(scales)
        self.token = nn.Sequential(nn.Linear(patch_size * 6, dim), nn.GELU(), nn.Linear(dim, dim))
        self.mix = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = x.shape[0]
        tokens = torch.cat([patchify(x, self.patch_size), patchify(temporal_difference(x), self.patch_size)], -1)
        per_patch = self.token(tokens).reshape(n, -1, self.num_joints, self.token[-1].out_features).mean(2)
        per_patch = self.mix(per_patch)                                                   # [N, Tp, D]
        pooled = [F.avg_pool1d(per_patch.transpose(1, 2), s, s).transpose(1, 2) for s in self.scales]
        return torch.cat(pooled, dim=1)


class QueryPredictor(nn.Module):
    """Learned queries (one per target) cross-attend to the encoder's visible tokens."""

    def __init__(self, encoder_dim: int, dim: int, num_queries: int, heads: int = 4):
        super().__init__()
        self.queries = nn.Parameter(torch.randn(1, num_queries, encoder_dim) * 0.02)
        self.attend = nn.MultiheadAttention(encoder_dim, heads, batch_first=True)
        self.out = nn.Sequential(nn.LayerNorm(encoder_dim), nn.Linear(encoder_dim, dim))

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        queries = self.queries.expand(latent.shape[0], -1, -1)
        attended, _ = self.attend(queries, latent, latent, need_weights=False)
        return self.out(attended + queries)


def variance_covariance(features: torch.Tensor, gamma: float = 1.0):
    """VICReg terms on features [B, D]: (hinge on per-dim std below gamma, off-diagonal cov^2 / D)."""
    centred = features - features.mean(0)
    std = torch.sqrt(centred.var(0) + 1e-4)
    variance = F.relu(gamma - std).mean()
    cov = centred.T @ centred / max(1, features.shape[0] - 1)
    off = cov - torch.diag(torch.diag(cov))
    return variance, (off ** 2).sum() / features.shape[1]


@OBJECTIVES.register("general_feature_prediction")
class GeneralFeaturePrediction:
    def __init__(self, config: Dict[str, Any], patch_size: int):
        masking = config.get("masking", "random")
        masking = {"name": masking} if isinstance(masking, str) else dict(masking)
        self.masking_name = masking.pop("name")
        self.masking_options = masking
        self.masking = MASKING.get(self.masking_name)
        self.mask_ratio = float(config.get("mask_ratio", 0.9))
        if not 0.0 < self.mask_ratio < 1.0:
            raise ValueError(f"pretrain.mask_ratio must be in (0, 1), got {self.mask_ratio}")
        self.scales = [int(s) for s in config.get("scales", [2, 4, 8])]
        self.target_dim = int(config.get("target_dim", 64))
        self.variance_weight = float(config.get("variance_weight", 1.0))
        self.covariance_weight = float(config.get("covariance_weight", 0.04))
        self.lr, self.weight_decay = float(config.get("lr", 1e-3)), float(config.get("weight_decay", 0.05))
        self.patch_size = patch_size
        self.owned = None
        self.monitor = CollapseMonitor()

    def describe(self) -> str:
        return (f"general_feature_prediction(masking={self.masking_name}, mask_ratio={self.mask_ratio}, "
                f"scales={self.scales}, target_dim={self.target_dim}, vicreg var {self.variance_weight} "
                f"cov {self.covariance_weight})")

    def statistics(self) -> Dict[str, float]:
        return self.monitor.statistics()

    def num_targets(self, num_patches_time: int) -> int:
        for s in self.scales:
            if s < 1 or num_patches_time % s:
                raise ValueError(f"pretrain.scales: {s} does not divide the {num_patches_time} temporal patches")
        return sum(num_patches_time // s for s in self.scales)

    def _build(self, backbone) -> None:
        queries = self.num_targets(backbone.num_patches_time)
        modules = nn.ModuleDict({
            "target": MultiScaleTargetNetwork(backbone.num_joints, self.patch_size, self.target_dim, self.scales),
            "predictor": QueryPredictor(backbone.embed_dim, self.target_dim, queries)})
        self.owned = OwnedModules(modules, self.lr, self.weight_decay)

    def _prepare(self, backbone, device) -> None:
        if self.owned is None:
            self._build(backbone)
        else:
            self.owned.step_pending()
        self.owned.to(device)

    def state_dict(self, backbone) -> Dict[str, Any]:
        """Target network and predictor with their optimizer, collapse statistics; {} before the first step."""
        if self.owned is None:
            return {}
        return {"owned": self.owned.state_dict(), "monitor": dict(self.monitor.values)}

    def load_state_dict(self, state: Dict[str, Any], backbone, device) -> None:
        if not state:
            return
        self._build(backbone)
        self.owned.load_state_dict(state["owned"], device)
        self.monitor.values = dict(state["monitor"])

    def __call__(self, backbone, persons: torch.Tensor) -> torch.Tensor:
        """persons: [N, T, V, 3] -> scalar loss (prediction + variance/covariance constraint)."""
        self._prepare(backbone, persons.device)
        with torch.no_grad():
            scores = self.masking(persons, self.patch_size, **self.masking_options)
        target = self.owned.modules["target"](persons).float()                      # [N, Q, Dt], online
        latent, _, _ = backbone.forward_encoder(persons, scores, self.mask_ratio)
        pred = self.owned.modules["predictor"](latent).float()                       # [N, Q, Dt]
        variance, covariance = variance_covariance(target.reshape(-1, target.shape[-1]))
        loss = F.mse_loss(pred, target) + self.variance_weight * variance + self.covariance_weight * covariance
        self.owned.pending = True
        self.monitor.record("target", target.reshape(-1, target.shape[-1]))
        self.monitor.record("embedding", latent.mean(1))
        return loss
