"""SkeletonMAE, graph-based (Yan et al. 2023): a graph-convolutional encoder-decoder over the
layout's bone graph, pre-trained by reconstructing masked joints and edges (bone vectors).

Tokens are the same as the transformer's (p frames of one joint, time-major, L = Tp * V), so
every masking strategy applies; a graph has no token dropping, so masked tokens are replaced
by a learned mask token before the encoder. Each block mixes joints along the skeleton
(normalised adjacency with self loops, built from layouts.json parents, times a learned edge
importance) and then time (a width-3 convolution over temporal patches). The encoder's last
block is the spatial-temporal head used when fine-tuning; encode() has the transformer's
contract ([N, T, V, 3] -> [N, L, D]), so ActionClassifier, export and the Java encoder use it
unchanged.
"""

from typing import Sequence, Tuple

import torch
from torch import nn

from ..layouts import get_layout


def normalised_adjacency(parents: Sequence[int]) -> torch.Tensor:
    """D^-1/2 (A + I) D^-1/2 of the undirected bone graph: [V, V]."""
    v = len(parents)
    a = torch.eye(v)
    for child, parent in enumerate(parents):
        if parent >= 0:
            a[child, parent] = a[parent, child] = 1.0
    d = a.sum(1).rsqrt()
    return d[:, None] * a * d[None, :]


class GraphBlock(nn.Module):
    """x: [N, Tp, V, D] -> [N, Tp, V, D]: x + graph(norm(x)), then x + temporal(norm(x))."""

    def __init__(self, dim: int, adjacency: torch.Tensor, mlp_ratio: float = 2.0):
        super().__init__()
        self.register_buffer("adjacency", adjacency.clone())                    # [V, V]
        self.edge_importance = nn.Parameter(torch.ones_like(adjacency))        # learned per edge (ST-GCN)
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.spatial = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.temporal = nn.Conv2d(dim, dim, kernel_size=(3, 1), padding=(1, 0), groups=dim)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.spatial(self.norm1(x))
        x = x + torch.matmul(self.adjacency * self.edge_importance, h)          # mixes joints along bones
        h = self.norm2(x).permute(0, 3, 1, 2)                                  # [N, D, Tp, V]
        h = self.temporal(h).permute(0, 2, 3, 1)                               # back to [N, Tp, V, D]
        return x + self.mlp(h)


class GraphSkeletonModel(nn.Module):
    def __init__(self, num_joints: int, num_frames: int, parents: Sequence[int], patch_size: int = 4,
                 embed_dim: int = 96, depth: int = 4, decoder_depth: int = 1, mlp_ratio: float = 2.0,
                 drop_path: float = 0.0):
        super().__init__()
        if num_frames % patch_size != 0:
            raise ValueError(f"frames {num_frames} must be a multiple of patch_size {patch_size}")
        if len(parents) != num_joints:
            raise ValueError(f"layout has {len(parents)} joints, model asked for {num_joints}")
        self.num_joints, self.num_frames, self.patch_size = num_joints, num_frames, patch_size
        self.num_patches_time = num_frames // patch_size
        self.embed_dim = embed_dim
        self.parents = [int(p) for p in parents]
        adjacency = normalised_adjacency(self.parents)

        # encoder
        self.patch_embed = nn.Linear(patch_size * 3, embed_dim)
        self.pos_time = nn.Parameter(torch.randn(1, self.num_patches_time, 1, embed_dim) * 0.02)   # [1, Tp, 1, D]
        self.pos_joint = nn.Parameter(torch.randn(1, 1, num_joints, embed_dim) * 0.02)             # [1, 1, V, D]
        self.mask_token = nn.Parameter(torch.randn(1, 1, 1, embed_dim) * 0.02)
        self.blocks = nn.ModuleList([GraphBlock(embed_dim, adjacency, mlp_ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)

        # decoder: joints and edges (bone vectors) of every token
        self.decoder_blocks = nn.ModuleList([GraphBlock(embed_dim, adjacency, mlp_ratio)
                                             for _ in range(decoder_depth)])
        self.decoder_norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.decoder_joints = nn.Linear(embed_dim, patch_size * 3)
        self.decoder_bones = nn.Linear(embed_dim, patch_size * 3)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """x: [N, T, V, 3] -> [N, Tp, V, D] with positions."""
        p, tp, v = self.patch_size, self.num_patches_time, self.num_joints
        patches = x.reshape(-1, tp, p, v, 3).permute(0, 1, 3, 2, 4).reshape(-1, tp, v, p * 3)
        return self.patch_embed(patches) + self.pos_time + self.pos_joint

    def run_encoder(self, tokens: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            tokens = block(tokens)
        return self.norm(tokens)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """All tokens, no masking. x: [N, T, V, 3] -> [N, L, D] (time-major tokens)."""
        return self.run_encoder(self.embed(x)).reshape(-1, self.num_patches_time * self.num_joints, self.embed_dim)

    def forward_masked(self, x: torch.Tensor, mask: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x: [N, T, V, 3]; mask: [N, L] (1 = masked) -> (latent [N, Tp, V, D], joints, bones [N, L, p * 3])."""
        tokens = self.embed(x)
        m = mask.reshape(-1, self.num_patches_time, self.num_joints, 1).to(tokens.dtype)
        latent = self.run_encoder(tokens * (1.0 - m) + self.mask_token * m)
        h = latent
        for block in self.decoder_blocks:
            h = block(h)
        h = self.decoder_norm(h).reshape(-1, self.num_patches_time * self.num_joints, self.embed_dim)
        return latent, self.decoder_joints(h), self.decoder_bones(h)

    def encoder_parameters(self):
        parts = [self.patch_embed, self.blocks, self.norm]
        return [self.pos_time, self.pos_joint] + [p for m in parts for p in m.parameters()]


def graph_skeleton_mae_tiny(num_joints: int, num_frames: int, layout: str = "ntu25", **overrides) -> GraphSkeletonModel:
    """Same width and depth as skeleton_mae_tiny (dim 96, 4 blocks), one decoder block."""
    kwargs = dict(patch_size=4, embed_dim=96, depth=4, decoder_depth=1)
    kwargs.update(overrides)
    return GraphSkeletonModel(num_joints, num_frames, get_layout(layout).parents, **kwargs)


def graph_skeleton_mae_base(num_joints: int, num_frames: int, layout: str = "ntu25", **overrides) -> GraphSkeletonModel:
    kwargs = dict(patch_size=4, embed_dim=256, depth=8, decoder_depth=2)
    kwargs.update(overrides)
    return GraphSkeletonModel(num_joints, num_frames, get_layout(layout).parents, **kwargs)
