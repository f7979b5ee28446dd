"""Preprocessed NTU .npz reader (x_train (N, 300, 150), one-hot y_train, same for test)."""

import numpy as np
import pytest

from skelstream_trainer.data import DatasetFormatError, detect_format, read_sequences
from skelstream_trainer.data.ntu_labels import NTU120_CLASSES


def write_npz(path, n_train=3, n_test=2, classes=60, frames=300, seed=0, **override):
    rng = np.random.default_rng(seed)
    arrays = {}
    for split, n in (("train", n_train), ("test", n_test)):
        x = np.zeros((n, frames, 150), dtype=np.float32)
        lengths = rng.integers(40, frames, size=n)
        for i, length in enumerate(lengths):
            x[i, :length, :75] = rng.normal(0, 0.5, (length, 75))  # person 0
            x[i, : length // 2, 75:] = rng.normal(0, 0.5, (length // 2, 75))  # person 1 leaves early
        y = np.eye(classes, dtype=np.float32)[rng.integers(0, classes, size=n)]
        arrays.update({f"x_{split}": x, f"y_{split}": y, f"len_{split}": lengths})
    arrays.update(override)
    np.savez(path, **{k: v for k, v in arrays.items() if v is not None})
    return arrays


def test_reads_both_splits_trims_padding_and_decodes_one_hot(tmp_path):
    path = tmp_path / "NTU60_CS.npz"
    arrays = write_npz(path)
    assert detect_format(path) == "ntu-npz"
    train = read_sequences(path)
    test = read_sequences(path, split="test", labels="name")
    assert [len(train), len(test)] == [3, 2]
    for i, seq in enumerate(train):
        length = arrays["len_train"][i]
        assert seq.frames.shape == (length, 2, 25, 3) and seq.layout == "ntu25" and seq.fps == 30.0
        np.testing.assert_array_equal(seq.frames.reshape(length, 150), arrays["x_train"][i, :length])
        assert seq.label == f"A{arrays['y_train'][i].argmax() + 1:03d}"
    for i, seq in enumerate(test):
        assert seq.label == NTU120_CLASSES[arrays["y_test"][i].argmax()]


def test_ntu120_labels(tmp_path):
    path = tmp_path / "NTU120_CSub.npz"
    y = np.zeros((1, 120), dtype=np.float32)
    y[0, 119] = 1
    write_npz(path, n_train=1, classes=120, y_train=y)
    (seq,) = read_sequences(path, labels="name")
    assert seq.label == "finger-guessing game (playing rock-paper-scissors)"


@pytest.mark.parametrize("override,message", [
    ({"x_train": np.zeros((2, 300, 149), np.float32)}, r"x_train has shape \(2, 300, 149\)"),
    ({"y_train": np.full((3, 60), 0.5, np.float32)}, "y_train row 0 is not one-hot"),
    ({"y_train": np.eye(60, dtype=np.float32)[:2]}, "x_train has 3 samples but y_train has 2"),
    ({"x_train": np.full((3, 300, 150), np.nan, np.float32)}, "sample 0 contains NaN"),
    ({"y_train": None}, "missing array 'y_train'"),
])
def test_malformed_archives_are_refused(tmp_path, override, message):
    path = tmp_path / "bad.npz"
    write_npz(path, **override)
    with pytest.raises(DatasetFormatError, match=message) as info:
        read_sequences(path)
    assert str(path) in str(info.value)


def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(DatasetFormatError, match="not a readable .npz"):
        read_sequences(path)
