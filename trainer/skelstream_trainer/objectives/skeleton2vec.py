"""Skeleton2vec (Xu et al. 2024): predict an EMA teacher's contextual features at masked tokens.

The teacher (an EMA of the student) encodes the whole, unmasked window; the target of each
token is the average of its top-K block outputs, each layer-normalised without parameters,
then layer-normalised again. The student encodes the visible tokens, its decoder fills in
mask tokens, and a linear predictor maps them to the teacher's width; MSE on masked tokens.
"""

from typing import Any, Dict

import torch
import torch.nn.functional as F
from torch import nn

from ..masking import MASKING
from . import OBJECTIVES
from .collapse_monitor import CollapseMonitor
from .ema_teacher import EmaTeacher
from .owned_modules import OwnedModules


def teacher_targets(teacher, x: torch.Tensor, top_k: int) -> torch.Tensor:
    """x: [N, T, V, 3] -> [N, L, D]: mean of the last top_k block outputs, each layer-normed, re-normed."""
    tokens = teacher.embed(x)
    outputs = []
    for block in teacher.blocks:
        tokens = block(tokens)
        outputs.append(tokens)
    dim = tokens.shape[-1]
    chosen = [F.layer_norm(o.float(), (dim,)) for o in outputs[-top_k:]]
    return F.layer_norm(sum(chosen) / len(chosen), (dim,))


def decoder_features(backbone, latent: torch.Tensor, ids_restore: torch.Tensor) -> torch.Tensor:
    """The backbone's decoder up to its final norm (no coordinate head): -> [N, L, decoder dim]."""
    x = backbone.decoder_embed(latent)
    n, length = ids_restore.shape
    x = torch.cat([x, backbone.mask_token.expand(n, length - x.shape[1], -1)], dim=1)
    x = torch.gather(x, 1, ids_restore[..., None].expand(-1, -1, x.shape[2]))
    x = x + (backbone.decoder_pos_time + backbone.decoder_pos_joint).reshape(1, length, -1)
    for block in backbone.decoder_blocks:
        x = block(x)
    return backbone.decoder_norm(x)


@OBJECTIVES.register("skeleton2vec")
class Skeleton2vec:
    def __init__(self, config: Dict[str, Any], patch_size: int):
        masking = config.get("masking", {"name": "motion_tube"})
        masking = {"name": masking} if isinstance(masking, str) else dict(masking)
        self.masking_name = masking.pop("name")
        self.masking_options = masking
        self.masking = MASKING.get(self.masking_name)
        self.mask_ratio = float(config.get("mask_ratio", 0.9))
        if not 0.0 < self.mask_ratio < 1.0:
            raise ValueError(f"pretrain.mask_ratio must be in (0, 1), got {self.mask_ratio}")
        self.top_k = int(config.get("top_k", 3))
        ema = dict(config.get("ema") or {})
        self.ema_options = {"decay_start": float(ema.get("decay_start", 0.9998)),
                            "decay_end": float(ema.get("decay_end", 0.99999)),
                            "ramp_updates": int(ema.get("ramp_updates", 1000))}
        self.lr, self.weight_decay = float(config.get("lr", 1e-3)), float(config.get("weight_decay", 0.05))
        self.patch_size = patch_size
        self.teacher = None
        self.owned = None
        self.monitor = CollapseMonitor()

    def describe(self) -> str:
        return (f"skeleton2vec(masking={self.masking_name}, mask_ratio={self.mask_ratio}, top_k={self.top_k}, "
                f"ema {self.ema_options['decay_start']}->{self.ema_options['decay_end']} over "
                f"{self.ema_options['ramp_updates']} updates)")

    def statistics(self) -> Dict[str, float]:
        return self.monitor.statistics()

    def _build(self, backbone) -> None:
        if not 1 <= self.top_k <= len(backbone.blocks):
            raise ValueError(f"pretrain.top_k {self.top_k} must be in 1..{len(backbone.blocks)} (encoder depth)")
        self.teacher = EmaTeacher(backbone, **self.ema_options)
        predictor = nn.Linear(backbone.decoder_embed.out_features, backbone.embed_dim)
        self.owned = OwnedModules(predictor, self.lr, self.weight_decay)

    def _prepare(self, backbone, device) -> None:
        if self.teacher is None:
            self._build(backbone)
        elif self.owned.step_pending():
            self.teacher.update(backbone)      # the backbone has stepped since the last call
        self.teacher.model.to(device)
        self.owned.to(device)

    def state_dict(self, backbone) -> Dict[str, Any]:
        """Teacher (weights, update count), predictor and its optimizer, collapse statistics; {} before the
        first step. A pending step is applied first, with its teacher update, as the next call would."""
        if self.teacher is None:
            return {}
        if self.owned.step_pending():
            self.teacher.update(backbone)
        return {"teacher": self.teacher.state_dict(), "owned": self.owned.state_dict(),
                "monitor": dict(self.monitor.values)}

    def load_state_dict(self, state: Dict[str, Any], backbone, device) -> None:
        if not state:
            return
        self._build(backbone)
        self.teacher.load_state_dict(state["teacher"])
        self.teacher.model.to(device)
        self.owned.load_state_dict(state["owned"], device)
        self.monitor.values = dict(state["monitor"])

    def __call__(self, backbone, persons: torch.Tensor) -> torch.Tensor:
        """persons: [N, T, V, 3] -> scalar loss."""
        self._prepare(backbone, persons.device)
        with torch.no_grad():
            scores = self.masking(persons, self.patch_size, **self.masking_options)
            target = teacher_targets(self.teacher.model, persons, self.top_k)          # [N, L, D]
        latent, mask, ids_restore = backbone.forward_encoder(persons, scores, self.mask_ratio)
        pred = self.owned.modules(decoder_features(backbone, latent, ids_restore))    # [N, L, D]
        loss = (((pred.float() - target) ** 2).mean(-1) * mask).sum() / mask.sum().clamp(min=1.0)
        self.owned.pending = True
        self.monitor.record("target", target.mean(1))
        self.monitor.record("embedding", latent.mean(1))
        return loss
