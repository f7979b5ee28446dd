"""Masking for the new objectives: SkeletonMAE's joint+frame masking and Skeleton2vec's
motion-aware tube masking (ratio, whole frames, tube persistence, motion bias)."""

import torch

from skelstream_trainer.masking import MASKING
from skelstream_trainer.models.skeleton_mae import MaskedSkeletonModel

N, T, V, P = 64, 32, 25, 4
TP = T // P


def mask_of(scores, ratio=0.9):
    tokens = torch.zeros(scores.shape[0], scores.shape[1], 1)
    _, mask, _ = MaskedSkeletonModel.mask(tokens, scores, ratio)
    return mask.reshape(scores.shape[0], TP, V)


def test_joint_and_frame_masks_whole_patches_and_keeps_the_ratio():
    torch.manual_seed(0)
    x = torch.randn(N, T, V, 3)
    mask = mask_of(MASKING.get("joint_and_frame")(x, P, frame_ratio=0.5))
    assert abs(mask.mean().item() - 0.9) < 0.01
    whole = (mask.sum(-1) == V).sum(1)                     # fully masked patches per sample
    assert (whole >= int(round(TP * 0.5))).all()
    assert (mask.sum(-1) < V).any(), "joint-level masking should leave partly visible patches"


def test_motion_tube_keeps_joints_masked_across_each_tube():
    torch.manual_seed(1)
    x = torch.randn(N, T, V, 3).cumsum(1) * 0.05
    mask = mask_of(MASKING.get("motion_tube")(x, P, tube_length=2))
    assert abs(mask.mean().item() - 0.9) < 0.01
    tubes = mask.reshape(N, TP // 2, 2, V)
    split = (tubes[:, :, 0] != tubes[:, :, 1]).sum(-1)     # joints whose mask changes inside a tube
    # only the boundary joint of at most one tube per sample may be split by the keep count
    assert (split.sum(1) <= 1).all()
    assert (tubes[:, :, 0] != tubes[:, 1:2, 0]).any(), "different tubes should mask different joints"


def test_motion_tube_masks_moving_joints_more_often():
    torch.manual_seed(2)
    x = torch.randn(N, T, V, 3) * 0.001
    moving = torch.arange(5)
    x[:, :, moving] += torch.randn(N, T, 5, 3) * 0.2       # five joints jitter strongly
    mask = mask_of(MASKING.get("motion_tube")(x, P, tube_length=2), ratio=0.5)
    rate = mask.mean(dim=(0, 1))
    still = rate[5:].mean().item()
    assert rate[moving].mean().item() > still + 0.3, (rate[moving], still)
