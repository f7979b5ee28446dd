"""JSON Lines datasets (DESIGN.md contract 4), plain and gzipped, and format detection."""

import gzip
import json

import numpy as np
import pytest

from skelstream_trainer.data import (
    DatasetFormatError, Sequence, detect_format, iter_sequences, read_sequences, write_jsonl,
)
from skelstream_trainer.data.frames_text import format_frames


def test_round_trip_is_exact_by_default_and_gzip_by_suffix(tmp_path, make_sequence):
    seqs = [make_sequence(M=1, seed=1), make_sequence(M=2, seed=2, label=None),
            make_sequence(layout="kinect_v1_20", seed=3, fps=29.97)]
    seqs[1].view = "cam2"
    for name in ("set.jsonl", "set.jsonl.gz"):
        path = tmp_path / name
        assert write_jsonl(seqs, path) == 3
        back = read_sequences(path)
        assert detect_format(path) == "jsonl"
        for a, b in zip(seqs, back):
            np.testing.assert_array_equal(a.frames, b.frames)
            assert (a.id, a.label, a.layout, a.fps, a.subject, a.view) == (b.id, b.label, b.layout, b.fps, b.subject, b.view)
    with gzip.open(tmp_path / "set.jsonl.gz", "rt") as f:
        assert json.loads(f.readline())["id"] == "seq1"


def test_rounded_writing_matches_numpy_rounding(tmp_path, rng):
    frames = rng.normal(0, 3, (7, 2, 25, 3)).astype(np.float32)
    frames[2, 1] = 0.0
    frames[0, 0, :4] = [[-0.0004, 0.0005, 12.3456], [99.9996, -0.1, 1e-7], [5.0, -5.0, 0.25], [-123.4567, 0.0, 0.0015]]
    text = format_frames(frames, 3)
    assert "-0.0," not in text and "e" not in text
    np.testing.assert_array_equal(np.array(json.loads(text)), np.round(frames.astype(np.float64), 3) + 0.0)
    write_jsonl([Sequence(frames, "ntu25", 30, "r")], tmp_path / "r.jsonl", decimals=3)
    (back,) = read_sequences(tmp_path / "r.jsonl")
    np.testing.assert_allclose(back.frames, frames, atol=5e-4 + 1e-6)


def test_persons_missing_in_some_frames_are_padded_with_zeros(tmp_path):
    joint = [0.1, 0.2, 3.0]
    person = [joint] * 25
    line = {"id": "x", "layout": "ntu25", "fps": 30, "frames": [[person], [person, person], []]}
    path = tmp_path / "ragged.jsonl"
    path.write_text(json.dumps(line) + "\n\n")  # blank lines are fine
    (seq,) = read_sequences(path)
    assert seq.frames.shape == (3, 2, 25, 3)
    assert seq.frames[0, 0].any() and not seq.frames[0, 1].any() and not seq.frames[2].any()


def test_streaming_reads_one_sequence_at_a_time(tmp_path, make_sequence):
    write_jsonl([make_sequence(seed=s) for s in range(5)], tmp_path / "s.jsonl.gz")
    it = iter_sequences(tmp_path / "s.jsonl.gz")
    assert next(it).id == "seq0" and next(it).id == "seq1"


def _line(**changes):
    obj = {"id": "a", "label": "wave", "layout": "ntu25", "fps": 30,
           "frames": [[[[0.1, 0.2, 3.0]] * 25]] * 2}
    obj.update(changes)
    return json.dumps({k: v for k, v in obj.items() if v is not ...}, allow_nan=True)


GOOD = _line()
V20 = [[[[0.1, 0.2, 3.0]] * 20]]


@pytest.mark.parametrize("bad,message", [
    ('{"id": "a", "frames": [', "not valid JSON"),
    ("[1, 2, 3]", "expected a JSON object, got list"),
    (_line(id=...), "missing key 'id'"),
    (_line(fps=...), "missing key 'fps'"),
    (_line(frames=...), "missing key 'frames'"),
    (_line(layout="ntu26"), "unknown layout 'ntu26'"),
    (_line(layout=7), "'layout' must be a string"),
    (_line(fps=0), "'fps' must be a positive number"),
    (_line(fps="30"), "'fps' must be a positive number"),
    (_line(label=["wave"]), "'label' must be a string"),
    (_line(frames=[]), "'frames' must be a non-empty list"),
    (_line(frames=V20), "frame 0 person 0 has 20 joints, layout ntu25 has 25"),
    (_line(frames=[[[[0.1, 0.2]] * 25]]), "frame 0 person 0 joint 0 has 2 values, expected 3"),
    (_line(frames=[[[[0.1, "x", 3.0]] * 25]]), "frame 0 person 0 joint 0 has a non-numeric value 'x'"),
    (_line(frames=[[[[0.1, "0.2", 3.0]] * 25]]), "non-numeric value '0.2'"),
    (_line(frames=[[[[0.1, 0.2, 3.0]] * 24 + [[float("nan"), 0, 0]]]]), "frame 0 person 0 joint 24 is not a finite"),
    (_line(frames=[[[[0.1, 0.2, 3.0]] * 24 + [[None, 0, 0]]]]), "joint 24 is not a finite number"),
    (_line(frames=[[[0.1, 0.2, 3.0]]]), "frame 0 person 0 must be a list of joints|has 3 joints"),
])
def test_malformed_lines_are_refused_with_file_and_line(tmp_path, bad, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(GOOD + "\n" + GOOD + "\n" + bad + "\n")
    with pytest.raises(DatasetFormatError, match=message) as info:
        read_sequences(path)
    assert f"{path}:3:" in str(info.value)
    assert info.value.line == 3


def test_truncated_gzip_is_refused(tmp_path, make_sequence):
    path = tmp_path / "cut.jsonl.gz"
    write_jsonl([make_sequence(seed=s, T=200) for s in range(3)], path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DatasetFormatError, match=f"{path}"):
        read_sequences(path)


def test_detection_refuses_unknown_paths(tmp_path):
    with pytest.raises(DatasetFormatError, match="no such file"):
        detect_format(tmp_path / "missing.jsonl.txt")
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n")
    with pytest.raises(DatasetFormatError, match="cannot tell the dataset format"):
        read_sequences(other)
    with pytest.raises(ValueError, match="unknown dataset format"):
        read_sequences(other, fmt="csv")
