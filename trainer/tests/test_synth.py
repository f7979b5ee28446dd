"""The synthetic action generator: deterministic, split by subject, physically sensible,
each class doing what its name says, and small enough for the demo."""

import json

import numpy as np
import pytest

from skelstream_trainer.data import read_sequences
from skelstream_trainer.layouts import get_layout
from skelstream_trainer.synth import CLASSES, SynthConfig, cli_main, generate, make_subjects
from skelstream_trainer.synth.performer import Subject, perform

NTU = get_layout("ntu25")
J = {name: NTU.index(name) for name in NTU.joints}
SMALL = SynthConfig(train_size=56, test_size=28, train_subjects=6, test_subjects=3, seed=5)


def test_the_classes_users_expect_are_there():
    for name in ("wave", "clap", "drink", "phone call", "sit down", "stand up", "fall", "walk", "jump",
                 "kick", "punch", "reach behind", "bow", "pick up"):
        assert name in CLASSES


def test_same_seed_same_data_other_seed_other_data():
    a_train, a_test = generate(SMALL)
    b_train, b_test = generate(SMALL)
    for a, b in zip(a_train + a_test, b_train + b_test):
        assert (a.id, a.label, a.subject, a.view) == (b.id, b.label, b.subject, b.view)
        np.testing.assert_array_equal(a.frames, b.frames)
    c_train, _ = generate(SynthConfig(**{**SMALL.__dict__, "seed": 6}))
    assert not all(np.array_equal(a.frames, c.frames) for a, c in zip(a_train, c_train) if a.frames.shape == c.frames.shape)


def test_split_by_subject_balanced_classes_and_shapes():
    train, test = generate(SMALL)
    assert {s.subject for s in train}.isdisjoint({s.subject for s in test})
    counts = {c: sum(s.label == c for s in train) for c in CLASSES}
    assert set(counts.values()) == {4}  # 56 sequences over 14 classes
    fps = SMALL.fps
    for s in train + test:
        assert s.layout == "ntu25" and s.fps == fps and s.frames.dtype == np.float32
        assert s.frames.ndim == 4 and s.frames.shape[1] in (1, 2) and s.frames.shape[2:] == (25, 3)
        assert SMALL.min_duration_s * fps - 1 <= s.num_frames <= SMALL.max_duration_s * fps + 1
        present = np.any(s.frames != 0, axis=-1)
        assert present[:, 0].mean() > 0.5  # the actor is mostly in view
        assert np.all(s.frames[..., 2][present] > 0.3)  # in front of the camera
    assert any(s.num_persons == 2 for s in train + test)


def test_bones_keep_their_length_through_a_sequence():
    train, _ = generate(SMALL)
    for s in train[:20]:
        x = s.frames[:, 0]
        ok = np.all(np.any(x != 0, axis=-1), axis=1)  # frames where every joint is present
        if ok.sum() < 5:
            continue
        for child, parent in ((J["ElbowLeft"], J["ShoulderLeft"]), (J["KneeRight"], J["HipRight"]),
                              (J["SpineShoulder"], J["SpineMid"])):
            length = np.linalg.norm(x[ok, child] - x[ok, parent], axis=-1)
            assert np.median(np.abs(length - np.median(length))) < 0.03, s.id


def test_subjects_differ_in_body_and_style():
    train, test = make_subjects(SMALL)
    heights = [np.linalg.norm(s.body.offsets, axis=1).sum() for s in train + test]
    assert np.std(heights) > 0.05
    assert len({s.id for s in train + test}) == len(train) + len(test)


# --- each action does what its name says (body frame, feet on the floor at y ~ 0) ---------------

RIGHT_HANDED = Subject("t", Subject.sample("t", np.random.default_rng(7)).body, False, 1.0, 1.0, 0)
HANDS = [J["HandLeft"], J["HandRight"]]


def performances(label, seeds=range(4), **kw):
    return [perform(label, RIGHT_HANDED, 60, 15.0, np.random.default_rng(s), **kw)[0] for s in seeds]


def hand_to(pos, joint):
    return np.min(np.linalg.norm(pos[:, HANDS] - pos[:, [joint]], axis=-1), axis=1)  # (T,)


@pytest.mark.parametrize("seated", [False, True])
def test_drink_and_phone_bring_a_hand_to_the_head(seated):
    for pos in performances("drink", seated=seated):
        assert hand_to(pos, J["Head"]).min() < 0.25
    for pos in performances("phone call", seated=seated):
        near = hand_to(pos, J["Head"]) < 0.15
        assert near.sum() >= 0.5 * 15  # held at the ear for half a second or more


def test_wave_raises_a_hand_above_the_head_and_clap_brings_hands_together():
    for pos in performances("wave"):
        assert (pos[:, HANDS, 1].max(axis=1) - pos[:, J["Head"], 1]).max() > 0.0
    for pos in performances("clap"):
        gap = np.linalg.norm(pos[:, J["HandLeft"]] - pos[:, J["HandRight"]], axis=-1)
        assert gap.min() < 0.1 and gap.max() - gap.min() > 0.12


def test_sit_down_stand_up_fall_bow_pick_up_move_the_body():
    pelvis = lambda p: p[:, J["SpineBase"], 1]
    for pos in performances("sit down"):
        assert pelvis(pos)[0] - pelvis(pos)[-1] > 0.25
    for pos in performances("stand up"):
        assert pelvis(pos)[-1] - pelvis(pos)[0] > 0.25
    for pos in performances("fall"):
        assert pos[0, J["Head"], 1] > 1.2 and pos[-1, J["Head"], 1] < 0.6
    for pos in performances("bow"):
        assert pos[0, J["Head"], 1] - pos[:, J["Head"], 1].min() > 0.1
    for pos in performances("pick up"):
        assert pos[:, HANDS, 1].min() < 0.5


def test_jump_leaves_the_floor_walk_moves_the_feet_kick_raises_a_foot():
    feet = [J["FootLeft"], J["FootRight"], J["AnkleLeft"], J["AnkleRight"]]
    for pos in performances("jump"):
        assert pos[:, feet, 1].min(axis=1).max() > 0.08
    for pos in performances("walk"):
        assert np.ptp(pos[:, J["AnkleLeft"], 2] - pos[:, J["AnkleRight"], 2]) > 0.1 or \
            np.ptp(pos[:, [J["AnkleLeft"], J["AnkleRight"]], 1]) > 0.1
    for pos in performances("kick"):
        assert pos[:, [J["FootLeft"], J["FootRight"]], 1].max() > 0.4


def test_punch_reaches_forward_and_reach_behind_goes_behind_the_back():
    for pos in performances("punch"):
        reach = np.linalg.norm(pos[:, HANDS] - pos[:, [J["ShoulderLeft"], J["ShoulderRight"]]], axis=-1)
        assert reach.max() > 0.45
    for pos in performances("reach behind"):  # facing -z: behind is +z of the spine
        behind = pos[:, HANDS, 2].max(axis=1) - pos[:, J["SpineShoulder"], 2]
        assert behind.max() > 0.2


# --- files -------------------------------------------------------------------------------------

def test_command_line_writes_readable_rounded_files_and_a_summary(tmp_path):
    out = tmp_path / "synth"
    assert cli_main(["--out", str(out), "--train-size", "28", "--test-size", "14", "--train-subjects", "4",
                     "--test-subjects", "2", "--classes", "wave,fall", "--seed", "3"]) == 0
    train = read_sequences(out / "train.jsonl.gz")
    test = read_sequences(out / "test.jsonl.gz")
    assert len(train) == 28 and len(test) == 14 and {s.label for s in train} == {"wave", "fall"}
    mm = train[0].frames.astype(np.float64) * 1000
    np.testing.assert_allclose(mm, np.round(mm), atol=1e-2)  # rounded to 1 mm
    summary = json.loads((out / "synth.json").read_text())
    assert summary["train"]["sequences"] == 28 and summary["config"]["seed"] == 3
    with pytest.raises(SystemExit, match="unknown classes"):
        cli_main(["--out", str(out), "--classes", "wave,moonwalk"])


def test_default_test_set_fits_the_demo_budget(tmp_path):
    """The demo commits the default 600-sequence test set: it must stay under 5 MB gzipped."""
    from skelstream_trainer.synth import write_dataset
    config = SynthConfig(train_size=0)
    summary = write_dataset(config, tmp_path / "train.jsonl.gz", tmp_path / "test.jsonl.gz")
    assert summary["test"]["sequences"] == 600
    assert summary["test"]["bytes"] < 5_000_000
