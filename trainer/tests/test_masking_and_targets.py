"""Masking strategies (ratio, motion bias, tubes), targets and losses."""

import pytest
import torch

from skelstream_trainer.losses import LOSSES
from skelstream_trainer.masking import MASKING
from skelstream_trainer.masking.motion_aware_masking import patch_motion
from skelstream_trainer.models import build_backbone
from skelstream_trainer.registry import UnknownNameError
from skelstream_trainer.targets import TARGETS, patchify

T, V, P = 16, 25, 4


def moving_arm(n=64, seed=0):
    """Still bodies except joints 5..7 (left arm), which move a lot."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 1, V, 3, generator=g).expand(n, T, V, 3).clone()
    x[:, :, 5:8] += torch.cumsum(torch.randn(n, T, 3, 3, generator=g), dim=1)
    return x


@pytest.mark.parametrize("name", ["random", "motion_aware", "tube"])
def test_every_strategy_masks_the_configured_ratio(name):
    model = build_backbone("skeleton_mae_tiny", num_joints=V, num_frames=T)
    x = moving_arm(8)
    scores = MASKING.get(name)(x, P)
    assert scores.shape == (8, (T // P) * V)
    visible, mask, ids_restore = model.mask(model.embed(x), scores, 0.9)
    keep = round((T // P) * V * 0.1)
    assert visible.shape == (8, keep, model.embed_dim)
    assert (mask.sum(1) == (T // P) * V - keep).all()
    assert (torch.sort(ids_restore, 1).values == torch.arange((T // P) * V)).all()


def test_motion_aware_masking_prefers_moving_tokens():
    x = moving_arm(256)
    scores = MASKING.get("motion_aware")(x, P, temperature=0.75)
    order = scores.argsort(1)
    masked = torch.zeros_like(scores)
    masked.scatter_(1, order[:, round(scores.shape[1] * 0.5):], 1.0)   # mask the top half by score
    per_joint = masked.reshape(256, T // P, V).mean(dim=(0, 1))
    assert per_joint[5:8].mean() > 0.9                                  # the moving arm is almost always masked
    assert per_joint[10:].mean() < 0.5


def test_random_masking_is_unbiased_by_motion():
    x = moving_arm(512)
    scores = MASKING.get("random")(x, P)
    masked = torch.zeros_like(scores)
    masked.scatter_(1, scores.argsort(1)[:, scores.shape[1] // 2:], 1.0)
    per_joint = masked.reshape(512, T // P, V).mean(dim=(0, 1))
    assert abs(per_joint[5:8].mean() - 0.5) < 0.05


def test_tube_masking_hides_whole_joint_trajectories():
    x = moving_arm(4)
    scores = MASKING.get("tube")(x, P)
    order = scores.argsort(1)
    tp = T // P
    kept_tokens = order[:, : 3 * tp]                                     # keep exactly 3 joints' tubes
    joints = kept_tokens % V
    for row in joints:
        assert len(set(row.tolist())) == 3


def test_patch_motion_is_zero_for_still_input():
    x = torch.randn(2, 1, V, 3).expand(2, T, V, 3)
    assert (patch_motion(x, P) == 0).all()


@pytest.mark.parametrize("name", ["coordinates", "motion"])
def test_targets_are_normalised_per_token(name):
    x = moving_arm(4) * 3.0 + 7.0
    target = TARGETS.get(name)(x, P, normalise=True)
    assert target.shape == (4, (T // P) * V, P * 3)
    moving = target.reshape(4, T // P, V, P * 3)[:, :, 5:8]
    assert torch.allclose(moving.mean(-1), torch.zeros(()), atol=1e-4)
    assert torch.allclose(moving.std(-1, unbiased=False), torch.ones(()), atol=1e-2)


def test_motion_target_is_the_next_frame_difference():
    x = moving_arm(2)
    raw = TARGETS.get("motion")(x, P, normalise=False)
    diff = torch.zeros_like(x)
    diff[:, :-1] = x[:, 1:] - x[:, :-1]
    assert torch.allclose(raw, patchify(diff, P))


def test_model_patchify_matches_target_patchify():
    model = build_backbone("skeleton_mae_tiny", num_joints=V, num_frames=T)
    x = moving_arm(2)
    assert torch.equal(model.patchify(x), patchify(x, P))


def test_loss_counts_masked_tokens_only():
    pred, target = torch.zeros(2, 10, 6), torch.zeros(2, 10, 6)
    mask = torch.zeros(2, 10)
    mask[:, :3] = 1
    pred[:, 5:] = 100.0                                                  # errors on visible tokens only
    for name in ("mse", "smooth_l1"):
        assert LOSSES.get(name)(pred, target, mask).item() == 0.0
    pred[:, 0] = 1.0
    assert LOSSES.get("mse")(pred, target, mask).item() == pytest.approx(1.0 / 3.0)


def test_unknown_names_list_the_known_ones():
    with pytest.raises(UnknownNameError, match="motion_aware"):
        MASKING.get("nope")
