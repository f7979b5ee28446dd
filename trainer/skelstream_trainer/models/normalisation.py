"""Spatial normalisation of skeleton windows, as a module inside the exported graph.

Training and inference run this very module, so PyTorch, ONNX Runtime in Java and the
stream processor can never disagree about it. Steps (person 0 defines the frame for all
persons, so their relative placement survives):

1. centre: mean over the window's frames of the layout's centre joint(s), where present
   (falls back to the mean of all present joints of person 0 when no centre joint is seen);
2. view alignment (optional): rotate about the vertical axis so the left-right line of the
   hips/shoulders is parallel to the camera's x axis;
3. scale: divide by the mean bone length of person 0 over the window (clamped by eps).

Absent joints (exact zeros) stay exact zeros; an all-zero window gives all zeros.
No data-dependent control flow: fallbacks are blended with 0/1 weights so the graph is
one straight line of ops (friendly to ONNX Runtime).
"""

from typing import List, Sequence, Tuple

import torch
from torch import nn

# ntu25 indices of the left/right hips and shoulders: the pairs whose line defines the view.
_NTU25_LEFT_RIGHT_PAIRS = ((12, 16), (4, 8))


def _pairs_in_layout(ntu25_index: Sequence) -> List[Tuple[int, int]]:
    """Left/right hip and shoulder joint pairs of a layout, found through its ntu25 map."""
    position = {m: j for j, m in enumerate(ntu25_index) if m is not None}
    return [(position[left], position[right]) for left, right in _NTU25_LEFT_RIGHT_PAIRS
            if left in position and right in position]


class SpatialNormalisation(nn.Module):
    """Centre, (optionally) view-align and scale a window of poses.

    Input and output: joints [B, T, M, V, 3] float32, metres in, body-size units out.
    """

    def __init__(self, parents: Sequence[int], centre: Sequence[int],
                 left_right_pairs: Sequence[Tuple[int, int]] = (),
                 view_alignment: bool = False, vertical_axis: int = 1, eps: float = 1e-3):
        super().__init__()
        self.centre = [int(c) for c in centre]
        bones = [(j, int(p)) for j, p in enumerate(parents) if p is not None and int(p) >= 0]
        self.bone_child = [c for c, _ in bones]
        self.bone_parent = [p for _, p in bones]
        self.left = [int(l) for l, _ in left_right_pairs]
        self.right = [int(r) for _, r in left_right_pairs]
        self.view_alignment = bool(view_alignment) and len(self.left) > 0
        if vertical_axis not in (0, 1, 2):
            raise ValueError(f"vertical_axis must be 0, 1 or 2, got {vertical_axis}")
        self.horizontal = [axis for axis in range(3) if axis != vertical_axis]  # x, z when y is up
        self.vertical_axis = vertical_axis
        self.eps = float(eps)

    @classmethod
    def for_layout(cls, layout, view_alignment: bool = False, vertical_axis: int = 1,
                   eps: float = 1e-3) -> "SpatialNormalisation":
        """Build from a :class:`skelstream_trainer.layouts.Layout` (its parents, centre, ntu25_index)."""
        return cls(parents=layout.parents, centre=layout.centre,
                   left_right_pairs=_pairs_in_layout(layout.ntu25_index),
                   view_alignment=view_alignment, vertical_axis=vertical_axis, eps=eps)

    def forward(self, joints: torch.Tensor) -> torch.Tensor:
        """joints: [B, T, M, V, 3] -> [B, T, M, V, 3]."""
        present = (joints.abs().sum(-1) > 0).to(joints.dtype)           # [B, T, M, V]
        first = joints[:, :, 0]                                          # [B, T, V, 3]
        first_present = present[:, :, 0]                                 # [B, T, V]

        centre = self._centre(first, first_present)                      # [B, 3]
        centred = joints - centre[:, None, None, None, :]
        first_centred = centred[:, :, 0]
        if self.view_alignment:
            centred = self._align_view(centred, first_centred, first_present)
        scale = self._body_size(first_centred, first_present)            # [B]
        return centred / scale[:, None, None, None, None] * present[..., None]

    def _centre(self, first: torch.Tensor, first_present: torch.Tensor) -> torch.Tensor:
        """Window centre of person 0 -> [B, 3]."""
        points = first[:, :, self.centre]                                # [B, T, C, 3]
        weights = first_present[:, :, self.centre]                       # [B, T, C]
        count = weights.sum(dim=(1, 2))                                  # [B]
        centre_mean = (points * weights[..., None]).sum(dim=(1, 2)) / count.clamp(min=1.0)[:, None]
        all_count = first_present.sum(dim=(1, 2))
        all_mean = (first * first_present[..., None]).sum(dim=(1, 2)) / all_count.clamp(min=1.0)[:, None]
        has_centre = (count > 0).to(first.dtype)[:, None]
        return has_centre * centre_mean + (1.0 - has_centre) * all_mean

    def _body_size(self, first: torch.Tensor, first_present: torch.Tensor) -> torch.Tensor:
        """Mean bone length of person 0 over the window -> [B] (1 when no bone is seen)."""
        child = first[:, :, self.bone_child]                             # [B, T, nb, 3]
        parent = first[:, :, self.bone_parent]
        valid = first_present[:, :, self.bone_child] * first_present[:, :, self.bone_parent]
        length = ((child - parent) ** 2).sum(-1).sqrt()                  # [B, T, nb]
        count = valid.sum(dim=(1, 2))
        mean = (length * valid).sum(dim=(1, 2)) / count.clamp(min=1.0)
        has_bones = (count > 0).to(first.dtype)
        return (has_bones * mean + (1.0 - has_bones)).clamp(min=self.eps)

    def _align_view(self, centred: torch.Tensor, first: torch.Tensor,
                    first_present: torch.Tensor) -> torch.Tensor:
        """Rotate about the vertical axis so person 0's left-right line lies along +a,
        where (a, b) are the horizontal axes (x, z for a y-up camera)."""
        a, b = self.horizontal
        across = first[:, :, self.left] - first[:, :, self.right]        # [B, T, P, 3]
        valid = first_present[:, :, self.left] * first_present[:, :, self.right]
        direction = (across * valid[..., None]).sum(dim=(1, 2))          # [B, 3]
        da, db = direction[:, a], direction[:, b]
        norm = (da * da + db * db).sqrt()
        usable = (norm > self.eps).to(centred.dtype)
        safe = norm.clamp(min=self.eps)
        cos = usable * da / safe + (1.0 - usable)                        # identity when unusable
        sin = usable * db / safe
        cos = cos[:, None, None, None]
        sin = sin[:, None, None, None]
        ca, cb = centred[..., a], centred[..., b]
        rotated_a = cos * ca + sin * cb
        rotated_b = cos * cb - sin * ca
        axes = [None, None, None]
        axes[a], axes[b] = rotated_a, rotated_b
        axes[self.vertical_axis] = centred[..., self.vertical_axis]
        return torch.stack(axes, dim=-1)
