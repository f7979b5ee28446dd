"""Masked skeleton modelling (MAE / MAMP style) for one person's window of poses.

Tokens are temporal patches x joints: p consecutive frames of one joint (p * 3 values),
embedded by one linear layer, plus a learned temporal and a learned spatial (joint)
position embedding. The encoder sees only the visible tokens; a lightweight decoder with
mask tokens predicts a target (coordinates or motion) for every token, and the loss is
taken on masked tokens only.

Token order is time-major everywhere: token l = t_patch * V + joint, L = (T / p) * V.
Persons are separate sequences here (as in MAMP); ActionClassifier pools them.
"""

from typing import Callable, Tuple

import torch
from torch import nn

from .blocks import Block


class MaskedSkeletonModel(nn.Module):
    def __init__(self, num_joints: int, num_frames: int, patch_size: int = 4, embed_dim: int = 96,
                 depth: int = 4, num_heads: int = 4, decoder_embed_dim: int = 64, decoder_depth: int = 1,
                 decoder_num_heads: int = 4, mlp_ratio: float = 4.0, drop_path: float = 0.0):
        super().__init__()
        if num_frames % patch_size != 0:
            raise ValueError(f"frames {num_frames} must be a multiple of patch_size {patch_size}")
        self.num_joints = num_joints
        self.num_frames = num_frames
        self.patch_size = patch_size
        self.num_patches_time = num_frames // patch_size
        self.embed_dim = embed_dim

        # --------------------------------------------------------------------------
        # encoder
        self.patch_embed = nn.Linear(patch_size * 3, embed_dim)
        self.pos_time = nn.Parameter(torch.zeros(1, self.num_patches_time, 1, embed_dim))   # [1, Tp, 1, D]
        self.pos_joint = nn.Parameter(torch.zeros(1, 1, num_joints, embed_dim))             # [1, 1, V, D]
        rates = torch.linspace(0, drop_path, depth).tolist()
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads, mlp_ratio, rates[i]) for i in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)

        # --------------------------------------------------------------------------
        # decoder
        self.decoder_embed = nn.Linear(embed_dim, decoder_embed_dim)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_embed_dim))
        self.decoder_pos_time = nn.Parameter(torch.zeros(1, self.num_patches_time, 1, decoder_embed_dim))
        self.decoder_pos_joint = nn.Parameter(torch.zeros(1, 1, num_joints, decoder_embed_dim))
        self.decoder_blocks = nn.ModuleList(
            [Block(decoder_embed_dim, decoder_num_heads, mlp_ratio) for _ in range(decoder_depth)])
        self.decoder_norm = nn.LayerNorm(decoder_embed_dim, eps=1e-6)
        self.decoder_pred = nn.Linear(decoder_embed_dim, patch_size * 3)

        self._init_weights()

    def _init_weights(self):
        for p in (self.pos_time, self.pos_joint, self.decoder_pos_time, self.decoder_pos_joint, self.mask_token):
            nn.init.trunc_normal_(p, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    # ------------------------------------------------------------------------------
    # tokens and masking

    def patchify(self, x: torch.Tensor) -> torch.Tensor:
        """x: [N, T, V, 3] -> [N, L, p * 3] (shapes from the model's constants, so the
        exported graph keeps static dims; same token order as targets.patchify)."""
        p, tp, v = self.patch_size, self.num_patches_time, self.num_joints
        return x.reshape(-1, tp, p, v, 3).permute(0, 1, 3, 2, 4).reshape(-1, tp * v, p * 3)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """x: [N, T, V, 3] -> embedded tokens with positions [N, L, D]."""
        tokens = self.patch_embed(self.patchify(x))
        pos = (self.pos_time + self.pos_joint).reshape(1, -1, self.embed_dim)
        return tokens + pos

    @staticmethod
    def mask(tokens: torch.Tensor, scores: torch.Tensor, mask_ratio: float
             ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Keep the (1 - mask_ratio) lowest-scoring tokens.

        tokens: [N, L, D]; scores: [N, L] from a masking strategy.
        Returns visible [N, L_keep, D], mask [N, L] (1 = masked, 0 = visible, in original
        order) and ids_restore [N, L] (un-shuffles the decoder's sequence).
        """
        n, length, dim = tokens.shape
        len_keep = max(1, int(round(length * (1.0 - mask_ratio))))
        ids_shuffle = torch.argsort(scores, dim=1)
        ids_restore = torch.argsort(ids_shuffle, dim=1)
        ids_keep = ids_shuffle[:, :len_keep]
        visible = torch.gather(tokens, 1, ids_keep[..., None].expand(-1, -1, dim))
        mask = torch.ones(n, length, device=tokens.device)
        mask[:, :len_keep] = 0
        return visible, torch.gather(mask, 1, ids_restore), ids_restore

    # ------------------------------------------------------------------------------
    # encoder

    def run_encoder(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens: [N, L', D] -> [N, L', D] (blocks + final norm)."""
        for block in self.blocks:
            tokens = block(tokens)
        return self.norm(tokens)

    def forward_encoder(self, x: torch.Tensor, scores: torch.Tensor, mask_ratio: float
                        ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x: [N, T, V, 3]; scores: [N, L] -> latent [N, L_keep, D], mask [N, L], ids_restore [N, L]."""
        visible, mask, ids_restore = self.mask(self.embed(x), scores, mask_ratio)
        return self.run_encoder(visible), mask, ids_restore

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """All tokens, no masking (downstream use). x: [N, T, V, 3] -> [N, L, D]."""
        return self.run_encoder(self.embed(x))

    # ------------------------------------------------------------------------------
    # decoder

    def forward_decoder(self, latent: torch.Tensor, ids_restore: torch.Tensor) -> torch.Tensor:
        """latent: [N, L_keep, D]; ids_restore: [N, L] -> prediction [N, L, p * 3]."""
        x = self.decoder_embed(latent)
        n, length = ids_restore.shape
        masks = self.mask_token.expand(n, length - x.shape[1], -1)
        x = torch.cat([x, masks], dim=1)
        x = torch.gather(x, 1, ids_restore[..., None].expand(-1, -1, x.shape[2]))
        pos = (self.decoder_pos_time + self.decoder_pos_joint).reshape(1, length, -1)
        x = x + pos
        for block in self.decoder_blocks:
            x = block(x)
        return self.decoder_pred(self.decoder_norm(x))

    # ------------------------------------------------------------------------------
    # loss

    @staticmethod
    def forward_loss(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor,
                     loss_fn: Callable) -> torch.Tensor:
        """pred/target: [N, L, p * 3]; mask: [N, L] (1 = masked) -> scalar, masked tokens only."""
        return loss_fn(pred, target, mask)

    def forward(self, x: torch.Tensor, scores: torch.Tensor, target: torch.Tensor, mask_ratio: float,
                loss_fn: Callable) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x: [N, T, V, 3] normalised poses -> (loss, pred [N, L, p * 3], mask [N, L])."""
        latent, mask, ids_restore = self.forward_encoder(x, scores, mask_ratio)
        pred = self.forward_decoder(latent, ids_restore)
        return self.forward_loss(pred, target, mask, loss_fn), pred, mask

    def encoder_parameters(self):
        """Parameters used by encode() (the decoder is pre-training only)."""
        parts = [self.patch_embed, self.blocks, self.norm]
        return [self.pos_time, self.pos_joint] + [p for m in parts for p in m.parameters()]


# ----------------------------------------------------------------------------------
# named factories, chosen by model.name in the config

def skeleton_mae_tiny(num_joints: int, num_frames: int, **overrides) -> MaskedSkeletonModel:
    """CPU real-time size: dim 96, depth 4, 4 heads; decoder dim 96, 2 blocks (a 1-block
    decoder pulls the encoder's last blocks towards reconstruction, as MAE's ablation shows)."""
    kwargs = dict(patch_size=4, embed_dim=96, depth=4, num_heads=4, decoder_embed_dim=96,
                  decoder_depth=2, decoder_num_heads=4)
    kwargs.update(overrides)
    return MaskedSkeletonModel(num_joints, num_frames, **kwargs)


def skeleton_mae_base(num_joints: int, num_frames: int, **overrides) -> MaskedSkeletonModel:
    """MAMP size: dim 256, depth 8, 8 heads; decoder dim 128, 2 blocks."""
    kwargs = dict(patch_size=4, embed_dim=256, depth=8, num_heads=8, decoder_embed_dim=128,
                  decoder_depth=2, decoder_num_heads=8)
    kwargs.update(overrides)
    return MaskedSkeletonModel(num_joints, num_frames, **kwargs)
