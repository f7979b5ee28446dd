"""PKU-MMD reader: per-video skeleton text (150 floats a line) + label,start,end[,confidence]."""

import numpy as np
import pytest

from skelstream_trainer.data import DatasetFormatError, detect_format, read_sequences


def write_video(root, name, frames=60, two_people=False, segments=((5, 10, 29, 1), (12, 35, 50, 2)), seed=0):
    rng = np.random.default_rng(seed)
    data = rng.normal(0, 0.5, (frames, 150)).round(6)
    if not two_people:
        data[:, 75:] = 0.0
    (root / "PKU_Skeleton_Renew").mkdir(parents=True, exist_ok=True)
    (root / "Train_Label_PKU_final").mkdir(parents=True, exist_ok=True)
    (root / "PKU_Skeleton_Renew" / f"{name}.txt").write_text(
        "\n".join(" ".join(f"{v:.6f}" for v in row) for row in data) + "\n")
    (root / "Train_Label_PKU_final" / f"{name}.txt").write_text(
        "\n".join(",".join(str(x) for x in seg) for seg in segments) + "\n")
    return data


def test_videos_are_cut_into_labelled_clips(tmp_path):
    a = write_video(tmp_path, "0002-L", seed=1)
    b = write_video(tmp_path, "0002-M", two_people=True, segments=((41, 0, 59),), seed=2)
    assert detect_format(tmp_path) == "pku-mmd"
    seqs = read_sequences(tmp_path)
    assert [s.id for s in seqs] == ["0002-L#000", "0002-L#001", "0002-M#000"]
    assert [s.label for s in seqs] == ["5", "12", "41"]
    assert [s.view for s in seqs] == ["L", "L", "M"]
    first = seqs[0]
    assert first.frames.shape == (20, 2, 25, 3) and first.layout == "ntu25" and first.fps == 30.0
    np.testing.assert_allclose(first.frames.reshape(20, 150), a[10:30], atol=1e-6)
    assert not first.frames[:, 1].any()
    assert first.meta["confidence"] == 1.0 and seqs[2].meta["confidence"] is None
    np.testing.assert_allclose(seqs[2].frames.reshape(60, 150), b, atol=1e-6)


def test_label_dir_can_be_given(tmp_path):
    write_video(tmp_path, "0100-R")
    seqs = read_sequences(tmp_path / "PKU_Skeleton_Renew", fmt="pku-mmd", label_dir=tmp_path / "Train_Label_PKU_final",
                          persons=1)
    assert len(seqs) == 2 and seqs[0].frames.shape[1] == 1


def _break_skeleton(root, line_no, text):
    path = root / "PKU_Skeleton_Renew" / "0002-L.txt"
    lines = path.read_text().splitlines()
    lines[line_no - 1] = text(lines[line_no - 1])
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("text,message", [
    (lambda line: " ".join(line.split()[:149]), ":7: expected 150 values .* found 149"),
    (lambda line: line.replace(line.split()[3], "abc", 1), ":7: non-numeric value"),
    (lambda line: line.replace(line.split()[3], "nan", 1), ":7: NaN or infinite value"),
])
def test_malformed_skeleton_lines_are_refused(tmp_path, text, message):
    write_video(tmp_path, "0002-L")
    path = _break_skeleton(tmp_path, 7, text)
    with pytest.raises(DatasetFormatError, match=message) as info:
        read_sequences(tmp_path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("segments,message", [
    (("5,10,29,1", "12;35;50"), ":2: expected label,start,end"),
    (("5,ten,29",), ":1: non-numeric field"),
    (("5,30,20",), ":1: bad segment: start 30, end 20"),
    (("5,10,75",), ":1: segment ends at frame 75, the skeleton has 60 frames"),
])
def test_malformed_label_files_are_refused(tmp_path, segments, message):
    write_video(tmp_path, "0002-L")
    path = tmp_path / "Train_Label_PKU_final" / "0002-L.txt"
    path.write_text("\n".join(segments) + "\n")
    with pytest.raises(DatasetFormatError, match=message) as info:
        read_sequences(tmp_path)
    assert str(path) in str(info.value)


def test_a_video_without_labels_is_refused_not_skipped(tmp_path):
    write_video(tmp_path, "0002-L")
    write_video(tmp_path, "0003-L")
    (tmp_path / "Train_Label_PKU_final" / "0003-L.txt").unlink()
    with pytest.raises(DatasetFormatError, match="0003-L.txt: no label file"):
        read_sequences(tmp_path)
