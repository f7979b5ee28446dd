"""Training crops and test crops (ClipSampler / ClipDataset)."""

import numpy as np
import pytest
import torch

from skelstream_trainer.data import Augmentation, ClipDataset, ClipSampler, Sequence, resample_window
from skelstream_trainer.data.augment import augment_clip
from skelstream_trainer.layouts import get_layout

FULL = Augmentation(speed=(0.7, 1.4), rotate_deg=45, tilt_deg=5, scale=(0.8, 1.2), mirror_p=0.5,
                    frame_drop_p=0.1, joint_drop_p=0.05, jitter_m=0.01)


def test_clips_have_the_models_shape_and_persons_are_padded_or_dropped(make_sequence):
    one, three = make_sequence(M=1, seed=1), make_sequence(M=3, seed=2)
    sampler = ClipSampler(fps=15, frames=12, persons=2, augment=FULL)
    for seq in (one, three):
        clip = sampler.train_clip(seq, np.random.default_rng(0))
        assert clip.shape == (12, 2, 25, 3) and clip.dtype == np.float32
    assert not ClipSampler(15, 12, persons=2).test_clips(one)[:, :, 1].any()  # padded person is absent


def test_training_crops_are_deterministic_per_seed_epoch_and_index(make_sequence):
    seqs = [make_sequence(seed=s) for s in range(3)]
    ds = ClipDataset(seqs, ClipSampler(15, 12, 2, augment=FULL), train=True, seed=7)
    first = ds[1][0]
    assert torch.equal(first, ClipDataset(seqs, ClipSampler(15, 12, 2, augment=FULL), seed=7)[1][0])
    ds.set_epoch(1)
    assert not torch.equal(first, ds[1][0])
    assert not torch.equal(first, ClipDataset(seqs, ClipSampler(15, 12, 2, augment=FULL), seed=8)[1][0])


def test_labels_index_the_sorted_label_names_and_unlabelled_is_minus_one(make_sequence):
    seqs = [make_sequence(label="wave", seed=0), make_sequence(label="clap", seed=1), make_sequence(label=None, seed=2)]
    ds = ClipDataset(seqs, ClipSampler(30, 8), train=False)
    assert ds.labels == ["clap", "wave"]
    assert [int(ds[i][1]) for i in range(3)] == [1, 0, -1]
    with pytest.raises(ValueError, match="not among"):
        ClipDataset(seqs, ClipSampler(30, 8), labels=["clap"])


def test_test_crops_without_augmentation_are_resampled_windows(make_sequence):
    seq = make_sequence(T=90)  # 2.967 s at 30 fps
    sampler = ClipSampler(fps=10, frames=11, augment=FULL)  # 1 s windows; augment ignored at test time
    crops = sampler.test_clips(seq, crops=3)
    times = seq.times_s()
    for crop, t_end in zip(crops, [1.0, (1.0 + 89 / 30) / 2, 89 / 30]):
        np.testing.assert_array_equal(crop, resample_window(seq.frames, times, t_end, 10, 11))
    centre = sampler.test_clips(seq, crops=1)[0]
    np.testing.assert_array_equal(centre, resample_window(seq.frames, times, (89 / 30 + 1.0) / 2, 10, 11))


def test_short_sequence_sits_inside_a_longer_window_with_zeros_around(make_sequence):
    seq = make_sequence(T=10)
    clip = ClipSampler(fps=30, frames=30).test_clips(seq)[0]
    present = clip[:, 0].any(axis=(1, 2))
    assert present.sum() == 10 and not present[0] and not present[-1]


def test_speed_factor_changes_the_apparent_velocity():
    t = np.arange(100) / 30.0
    frames = np.zeros((100, 1, 25, 3), dtype=np.float32)
    frames[..., 0] = t[:, None, None] + 1.0  # x moves at 1 m/s
    frames[..., 2] = 3.0
    seq = Sequence(frames, "ntu25", 30.0, "line")
    fast = Augmentation(speed=(2.0, 2.0), rotate_deg=0, tilt_deg=0, scale=(1, 1))
    clip = ClipSampler(fps=10, frames=5, augment=fast).train_clip(seq, np.random.default_rng(0))
    np.testing.assert_allclose(np.diff(clip[:, 0, 0, 0]), 0.2, atol=1e-5)  # 2 m/s at 0.1 s steps


def test_rotation_keeps_bone_lengths_and_absent_joints_stay_absent(make_sequence):
    lay = get_layout("ntu25")
    clip = make_sequence(T=8).frames.copy()
    clip[:, 0, 5] = 0.0
    rot = Augmentation(speed=(1, 1), rotate_deg=90, tilt_deg=10, scale=(1, 1))
    out = augment_clip(clip, lay, rot, np.random.default_rng(3))
    assert not out[:, 0, 5].any()
    bones = [(c, p) for c, p in lay.bones if 5 not in (c, p)]
    length = lambda x: np.linalg.norm(x[:, 0, [c for c, _ in bones]] - x[:, 0, [p for _, p in bones]], axis=-1)
    np.testing.assert_allclose(length(out), length(clip), rtol=1e-4)
    assert not np.allclose(out, clip)


def test_mirror_swaps_sides_and_negates_x_about_the_centre(make_sequence):
    lay = get_layout("ntu25")
    clip = make_sequence(T=4).frames
    mirror = Augmentation(speed=(1, 1), rotate_deg=0, tilt_deg=0, scale=(1, 1), mirror_p=1.0)
    out = augment_clip(clip, lay, mirror, np.random.default_rng(0))
    left, right = lay.index("HandLeft"), lay.index("HandRight")
    centre_x = clip[:, :, list(lay.centre), 0].mean()
    np.testing.assert_allclose(out[:, 0, left, 0], 2 * centre_x - clip[:, 0, right, 0], atol=1e-5)
    np.testing.assert_allclose(out[:, 0, left, 1:], clip[:, 0, right, 1:], atol=1e-5)


def test_other_layouts_are_mapped_to_the_models_layout(make_sequence):
    seq = make_sequence(layout="kinect_v1_20")
    clip = ClipSampler(fps=30, frames=8, persons=1, layout="ntu25").test_clips(seq)[0]
    assert clip.shape == (8, 1, 25, 3)
    assert not clip[:, 0, get_layout("ntu25").index("HandTipLeft")].any()
    assert clip[:, 0, get_layout("ntu25").index("HandLeft")].all()


def test_dataloader_batches_clips(make_sequence):
    seqs = [make_sequence(seed=s) for s in range(6)]
    loader = torch.utils.data.DataLoader(ClipDataset(seqs, ClipSampler(15, 12, 2, augment=FULL)), batch_size=4)
    clips, labels = next(iter(loader))
    assert clips.shape == (4, 12, 2, 25, 3) and labels.dtype == torch.int64


def test_persistent_loader_workers_see_each_new_epoch(make_sequence):
    """Persistent workers keep their own copy of the dataset; set_epoch must still reach them, and they must
    give exactly the crops a loader without workers gives (epoch 0 repeated was the failure)."""
    from skelstream_trainer.commands.common import make_loader
    seqs = [make_sequence(seed=s) for s in range(4)]

    def epochs(workers):
        ds = ClipDataset(seqs, ClipSampler(15, 12, 2, augment=FULL), train=True, seed=3)
        loader = make_loader(ds, 4, shuffle=False, seed=0, workers=workers)
        out = []
        for epoch in range(3):
            ds.set_epoch(epoch)
            out.append(next(iter(loader))[0])
        return out

    in_process, in_worker = epochs(0), epochs(1)
    assert not torch.equal(in_worker[0], in_worker[1]) and not torch.equal(in_worker[1], in_worker[2])
    for a, b in zip(in_process, in_worker):
        assert torch.equal(a, b)
