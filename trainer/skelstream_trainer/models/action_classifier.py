"""The exported model: normalisation -> per-person encoder -> person pooling -> head.

forward(joints [B, T, M, V, 3]) -> (logits [B, K], embedding [B, D]); the same module
is trained (probe / fine-tune), evaluated and exported, so the graph Java runs is the
graph that was measured.
"""

from typing import Tuple

import torch
from torch import nn

from .normalisation import SpatialNormalisation
from .skeleton_mae import MaskedSkeletonModel


class LinearProbeHead(nn.Module):
    """BatchNorm1d without affine + Linear (MAE's linear probe). x: [B, D] -> [B, K].

    In eval mode the normalisation is written out with the running statistics (sub, div):
    the same numbers as BatchNorm1d, and an exported graph that needs no static channel size.
    """

    def __init__(self, dim: int, num_classes: int):
        super().__init__()
        self.norm = nn.BatchNorm1d(dim, affine=False, eps=1e-6)
        self.linear = nn.Linear(dim, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            return self.linear(self.norm(x))
        normalised = (x - self.norm.running_mean) / torch.sqrt(self.norm.running_var + self.norm.eps)
        return self.linear(normalised)


def make_head(kind: str, dim: int, num_classes: int, dropout: float = 0.0) -> nn.Module:
    """"linear_probe": LinearProbeHead; "finetune": LayerNorm + dropout + Linear."""
    if kind == "linear_probe":
        return LinearProbeHead(dim, num_classes)
    if kind == "finetune":
        return nn.Sequential(nn.LayerNorm(dim, eps=1e-6), nn.Dropout(dropout), nn.Linear(dim, num_classes))
    raise ValueError(f"unknown head {kind!r}; known: linear_probe, finetune")


class ActionClassifier(nn.Module):
    def __init__(self, normalisation: SpatialNormalisation, backbone: MaskedSkeletonModel, persons: int,
                 num_classes: int, head: str = "linear_probe", dropout: float = 0.0):
        super().__init__()
        self.persons = persons
        self.normalisation = normalisation
        self.backbone = backbone
        self.head_kind = head
        self.head = make_head(head, backbone.embed_dim, num_classes, dropout)

    def embed(self, joints: torch.Tensor) -> torch.Tensor:
        """joints: [B, T, M, V, 3] raw metres -> embedding [B, D].

        Each person is encoded as its own sequence and mean-pooled over its tokens; persons
        are then averaged over those present, so an absent (all-zero) person adds nothing.
        An all-zero window gives a zero embedding.
        """
        # shapes from constants, not joints.shape: only batch is dynamic in the exported graph
        t, m, v, d = self.backbone.num_frames, self.persons, self.backbone.num_joints, self.backbone.embed_dim
        x = self.normalisation(joints)
        persons = x.permute(0, 2, 1, 3, 4).reshape(-1, t, v, 3)                 # [B * M, T, V, 3]
        features = self.backbone.encode(persons).mean(1).reshape(-1, m, d)       # [B, M, D]
        present = (joints.abs().sum(dim=(1, 3, 4)) > 0).to(features.dtype)      # [B, M]
        pooled = (features * present[..., None]).sum(1) / present.sum(1, keepdim=True).clamp(min=1.0)
        return pooled.reshape(-1, d)  # keeps D static through export's shape inference

    def forward(self, joints: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        embedding = self.embed(joints)
        return self.head(embedding), embedding
