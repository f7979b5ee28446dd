"""NTU RGB+D .skeleton reader, on files written here in the exact format of the release."""

import numpy as np
import pytest

from skelstream_trainer.data import DatasetFormatError, detect_format, read_sequences
from skelstream_trainer.data.ntu_skeleton import read_ntu_skeleton_file


def body_lines(body_id, joints):
    """One body block: info line (10 values), joint count, 25 joint lines (12 values)."""
    lines = [f"{body_id} 0 1 1 1 1 0 0.02170 -0.2455 2", "25"]
    for x, y, z in joints:
        lines.append(f"{x:.7f} {y:.7f} {z:.7f} 262.1 197.6 1091.9 508.6 -0.2268 0.0453 0.9640 -0.1327 2")
    return lines


def write_skeleton(path, bodies_per_frame):
    """bodies_per_frame: list over frames of [(body_id, (25, 3) joints), ...]."""
    lines = [str(len(bodies_per_frame))]
    for bodies in bodies_per_frame:
        lines.append(str(len(bodies)))
        for body_id, joints in bodies:
            lines += body_lines(body_id, joints)
    path.write_text("\n".join(lines) + "\n")
    return path


def recording(frames=20, seed=0):
    """A mover (big motion), a bystander (small motion) and a flicker body seen in 2 frames;
    the bodies change order between frames, as Kinect does."""
    rng = np.random.default_rng(seed)
    mover = rng.normal(0, 0.3, (1, 25, 3)) + [0, 0, 3] + np.sin(np.arange(frames) / 3)[:, None, None] * 0.4
    stander = rng.normal(0, 0.3, (1, 25, 3)) + [1, 0, 3.5] + rng.normal(0, 0.005, (frames, 25, 3))
    flicker = rng.normal(0, 0.3, (2, 25, 3)) + [-1, 0, 2]
    per_frame = []
    for t in range(frames):
        bodies = [("72057594037931101", stander[t]), ("72057594037931102", mover[t])]
        if t % 2:
            bodies.reverse()
        if t in (3, 4):
            bodies.append(("72057594037931190", flicker[t - 3]))
        per_frame.append(bodies)
    return per_frame, mover, stander


def test_reads_labels_subject_camera_and_keeps_the_most_moving_bodies(tmp_path):
    per_frame, mover, stander = recording()
    write_skeleton(tmp_path / "S017C003P020R002A023.skeleton", per_frame)
    (seq,) = read_sequences(tmp_path)
    assert detect_format(tmp_path) == "ntu-skeleton"
    assert (seq.id, seq.label, seq.subject, seq.view) == ("S017C003P020R002A023", "A023", "P020", "C003")
    assert seq.meta == {"setup": "S017", "camera": "C003", "replication": "R002"}
    assert seq.layout == "ntu25" and seq.fps == 30.0 and seq.frames.shape == (20, 2, 25, 3)
    np.testing.assert_allclose(seq.frames[:, 0], mover, atol=1e-6)  # tracked by ID despite reordering
    np.testing.assert_allclose(seq.frames[:, 1], stander, atol=1e-6)


def test_one_person_model_keeps_only_the_mover_and_names_label(tmp_path):
    per_frame, mover, _ = recording()
    path = write_skeleton(tmp_path / "S001C001P001R001A043.skeleton", per_frame)
    seq = read_ntu_skeleton_file(path, persons=1, labels="name")
    assert seq.frames.shape == (20, 1, 25, 3) and seq.label == "falling"
    np.testing.assert_allclose(seq.frames[:, 0], mover, atol=1e-6)


def test_frames_without_bodies_are_absent_not_dropped(tmp_path):
    per_frame, mover, _ = recording(frames=6)
    per_frame[2] = []
    (seq,) = read_sequences(write_skeleton(tmp_path / "S001C001P001R001A001.skeleton", per_frame))
    assert seq.num_frames == 6 and not seq.frames[2].any()


def _good_lines(tmp_path):
    per_frame, _, _ = recording(frames=3)
    return write_skeleton(tmp_path / "S001C001P001R001A001.skeleton", per_frame).read_text().splitlines()


@pytest.mark.parametrize("edit,message", [
    (lambda L: ["three"] + L[1:], r":1: frame count: non-numeric"),
    (lambda L: L[:4] + [" ".join(L[4].split()[:11])] + L[5:], r":5: frame 0 body 0 joint 0: expected 12 values, found 11"),
    (lambda L: L[:2] + [L[2]] + ["20"] + L[4:], r":4: frame 0 body 0: joint count 20, layout ntu25 needs 25"),
    (lambda L: L[:5] + ["nan " + " ".join(L[5].split()[1:])] + L[6:], r":6: frame 0 body 0 joint 1: NaN"),
    (lambda L: L[:40], r"file ends early"),
    (lambda L: L + ["1 2 3"], r"unexpected content after the last frame"),
    (lambda L: ["0"], r":1: frame count 0"),
    (lambda L: L[:2] + [" ".join(L[2].split()[:9])] + L[3:], r":3: frame 0 body 0: body info: expected 10 values, found 9"),
])
def test_malformed_files_are_refused_with_file_and_line(tmp_path, edit, message):
    lines = _good_lines(tmp_path)
    path = tmp_path / "S001C001P001R001A001.skeleton"
    path.write_text("\n".join(edit(lines)) + "\n")
    with pytest.raises(DatasetFormatError, match=message) as info:
        read_sequences(path)
    assert str(path) in str(info.value)


def test_bad_file_name_and_empty_folder_are_refused(tmp_path):
    lines = _good_lines(tmp_path)
    (tmp_path / "S001C001P001R001A001.skeleton").unlink()
    bad = tmp_path / "take1.skeleton"
    bad.write_text("\n".join(lines))
    with pytest.raises(DatasetFormatError, match="SsssCcccPpppRrrrAaaa"):
        read_sequences(bad)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DatasetFormatError, match="no .skeleton files"):
        read_sequences(empty, fmt="ntu-skeleton")
