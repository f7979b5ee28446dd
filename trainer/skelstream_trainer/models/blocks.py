"""Pre-norm transformer blocks written with plain ops so the ONNX graph stays simple.

Attention is written out (matmul + softmax) instead of nn.MultiheadAttention: its fast
path differs between PyTorch versions, and a plain graph exports identically on 1.13 and
2.x. On PyTorch 2.x the fused scaled_dot_product_attention is used in training.
"""

import torch
import torch.nn.functional as F
from torch import nn


class Attention(nn.Module):
    """Multi-head self-attention. x: [N, L, D] -> [N, L, D]."""

    def __init__(self, dim: int, num_heads: int):
        super().__init__()
        if dim % num_heads != 0:
            raise ValueError(f"dim {dim} is not divisible by num_heads {num_heads}")
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dim = self.num_heads * self.head_dim
        # only the batch may be -1: the token count (all tokens, or the visible ones) stays explicit
        length = x.shape[1]
        qkv = self.qkv(x).reshape(-1, length, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]                                 # [N, H, L, hd]
        if hasattr(F, "scaled_dot_product_attention") and not torch.onnx.is_in_onnx_export():
            out = F.scaled_dot_product_attention(q, k, v)
        else:
            weights = torch.softmax((q * self.scale) @ k.transpose(-2, -1), dim=-1)
            out = weights @ v
        return self.proj(out.transpose(1, 2).reshape(-1, length, dim))


class DropPath(nn.Module):
    """Stochastic depth: drop the residual branch per sample while training."""

    def __init__(self, probability: float = 0.0):
        super().__init__()
        self.probability = probability

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.probability == 0.0 or not self.training:
            return x
        keep = 1.0 - self.probability
        mask = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(keep)
        return x * mask / keep


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(norm(x)), then x + mlp(norm(x))."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0, drop_path: float = 0.0):
        super().__init__()
        hidden = int(dim * mlp_ratio)
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))
        self.drop_path = DropPath(drop_path)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_path(self.attn(self.norm1(x)))
        return x + self.drop_path(self.mlp(self.norm2(x)))
