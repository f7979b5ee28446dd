"""The in-graph spatial normalisation: invariances, absent joints, degenerate windows."""

import math

import pytest
import torch

from skelstream_trainer.layouts import get_layout
from skelstream_trainer.models import SpatialNormalisation


def body(batch=3, frames=8, persons=2, seed=0):
    """Plausible windows: a random skeleton 3 m in front of the camera, jittering; person 1 beside."""
    g = torch.Generator().manual_seed(seed)
    base = torch.randn(batch, 1, 1, 25, 3, generator=g) * 0.3 + torch.tensor([0.0, 0.0, 3.0])
    x = base + 0.02 * torch.randn(batch, frames, persons, 25, 3, generator=g)
    x[:, :, 1:] += torch.tensor([1.0, 0.0, 0.5])
    return x


def yaw(x, angle):
    c, s = math.cos(angle), math.sin(angle)
    rot = torch.tensor([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])
    return x @ rot.T


@pytest.fixture(params=[False, True], ids=["no_view_alignment", "view_alignment"])
def norm(request):
    return SpatialNormalisation.for_layout(get_layout("ntu25"), view_alignment=request.param)


def test_translation_and_scale_invariance(norm):
    x = body()
    moved = x * 1.7 + torch.tensor([0.4, -0.2, 1.1])
    assert torch.allclose(norm(x), norm(moved), atol=1e-5)


def test_output_is_centred_and_unit_bone_length():
    norm = SpatialNormalisation.for_layout(get_layout("ntu25"))
    y = norm(body())
    centre = y[:, :, 0, 1].mean(1)                       # SpineMid of person 0, mean over frames
    assert torch.allclose(centre, torch.zeros_like(centre), atol=1e-5)
    lay = get_layout("ntu25")
    bones = torch.stack([(y[:, :, 0, c] - y[:, :, 0, p]).norm(dim=-1) for c, p in lay.bones], -1)
    assert torch.allclose(bones.mean(dim=(1, 2)), torch.ones(3), atol=1e-5)


def test_view_alignment_removes_rotation_about_vertical_axis():
    aligned = SpatialNormalisation.for_layout(get_layout("ntu25"), view_alignment=True)
    plain = SpatialNormalisation.for_layout(get_layout("ntu25"), view_alignment=False)
    x = body()
    turned = yaw(x, 1.1)
    assert torch.allclose(aligned(x), aligned(turned), atol=1e-4)
    assert not torch.allclose(plain(x), plain(turned), atol=1e-2)


def test_absent_joints_and_person_stay_exact_zeros(norm):
    x = body()
    x[:, :, 1] = 0.0                 # second person absent
    x[:, 2:5, 0, 7] = 0.0            # a hand lost for a few frames
    y = norm(x)
    assert (y[:, :, 1] == 0).all()
    assert (y[:, 2:5, 0, 7] == 0).all()
    assert (y[:, :, 0, 0] != 0).any()


def test_all_zero_window_is_finite_and_zero(norm):
    y = norm(torch.zeros(2, 8, 2, 25, 3))
    assert torch.isfinite(y).all() and (y == 0).all()


def test_single_joint_window_is_finite(norm):
    x = torch.zeros(1, 8, 2, 25, 3)
    x[:, :, 0, 3] = torch.tensor([0.1, 0.5, 2.0])  # only the head, no bone visible
    assert torch.isfinite(norm(x)).all()


def test_missing_centre_joint_falls_back_to_mean_of_present_joints():
    norm = SpatialNormalisation.for_layout(get_layout("ntu25"))
    x = body()
    x[:, :, :, 1] = 0.0  # SpineMid (the centre) never seen
    y = norm(x)
    assert torch.isfinite(y).all()
    assert y[:, :, 0].sum(dim=(1, 2)).abs().max() < 1e-3 * y.abs().max() * 25 * 8


@pytest.mark.parametrize("layout", ["kinect_v1_20", "h36m17", "coco17", "mediapipe33"])
def test_every_layout_builds_and_runs(layout):
    lay = get_layout(layout)
    norm = SpatialNormalisation.for_layout(lay, view_alignment=True)
    x = torch.randn(2, 4, 1, lay.num_joints, 3) + torch.tensor([0.0, 0.0, 3.0])
    y = norm(x)
    assert y.shape == x.shape and torch.isfinite(y).all()
