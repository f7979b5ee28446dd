"""The window resampling rule shared with the Java stream processor."""

import numpy as np
import pytest

from skelstream_trainer.data import resample_window, window_times


def reference_sample(frames, times, t):
    """The contract's rule written plainly, one sample time at a time (float64 inputs)."""
    n = len(times)
    earlier = [i for i in range(n) if times[i] <= t]
    if not earlier or t > times[-1]:
        return np.zeros(frames.shape[1:])
    i = earlier[-1]
    if times[i] == t or i == n - 1:
        return frames[i].astype(np.float64)
    j = i + 1
    w = (t - times[i]) / (times[j] - times[i])
    out = np.empty(frames.shape[1:])
    for m in range(frames.shape[1]):
        for v in range(frames.shape[2]):
            a, b = frames[i, m, v].astype(np.float64), frames[j, m, v].astype(np.float64)
            if not a.any() or not b.any():
                out[m, v] = a if (t - times[i]) <= (times[j] - t) else b
            else:
                out[m, v] = (1 - w) * a + w * b
    return out


def test_window_times_follow_the_contract():
    t = window_times(2.0, 10.0, 5)
    np.testing.assert_allclose(t, [1.6, 1.7, 1.8, 1.9, 2.0])
    assert t[-1] == 2.0


def test_same_rate_aligned_window_returns_the_frames_exactly():
    frames = np.random.default_rng(0).normal(size=(20, 2, 25, 3)).astype(np.float32)
    times = np.arange(20) / 30.0
    out = resample_window(frames, times, times[-1], 30.0, 8)
    np.testing.assert_array_equal(out, frames[-8:])


def test_midpoint_is_the_mean_of_the_bracketing_frames():
    frames = np.zeros((2, 1, 1, 3), dtype=np.float32)
    frames[0, 0, 0] = [1.0, 2.0, 3.0]
    frames[1, 0, 0] = [3.0, 2.0, 5.0]
    out = resample_window(frames, np.array([0.0, 0.1]), 0.05, 20.0, 1)
    np.testing.assert_allclose(out[0, 0, 0], [2.0, 2.0, 4.0])


def test_absent_joint_takes_the_nearer_frame_and_ties_go_earlier():
    frames = np.zeros((2, 1, 2, 3), dtype=np.float32)
    frames[0, 0, 0] = [1.0, 1.0, 1.0]
    frames[1, 0, 0] = [3.0, 3.0, 3.0]
    frames[0, 0, 1] = [5.0, 5.0, 5.0]  # joint 1 absent in frame 1
    times = np.array([0.0, 1.0])
    near_start = resample_window(frames, times, 0.25, 1.0, 1)[0, 0]
    near_end = resample_window(frames, times, 0.75, 1.0, 1)[0, 0]
    tie = resample_window(frames, times, 0.5, 1.0, 1)[0, 0]
    np.testing.assert_allclose(near_start, [[1.5] * 3, [5.0] * 3])
    np.testing.assert_allclose(near_end, [[2.5] * 3, [0.0] * 3])
    np.testing.assert_allclose(tie[1], [5.0] * 3)


def test_times_outside_the_recording_are_absent():
    frames = np.ones((3, 1, 1, 3), dtype=np.float32)
    times = np.array([1.0, 1.1, 1.2])
    out = resample_window(frames, times, 1.3, 10.0, 5)  # samples 0.9 .. 1.3
    assert out[:, 0, 0, 0].tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


@pytest.mark.parametrize("seed", range(5))
def test_vectorised_rule_matches_the_plain_rule_on_irregular_feeds(seed):
    rng = np.random.default_rng(seed)
    n = 40
    times = np.cumsum(rng.uniform(0.01, 0.08, size=n))
    times[5] = times[4]  # a duplicated timestamp
    frames = rng.normal(size=(n, 2, 5, 3)).astype(np.float32)
    frames[rng.random((n, 2, 5)) < 0.2] = 0.0  # absent joints
    frames[10:14, 1] = 0.0  # an absent person
    t_end = rng.uniform(times[0], times[-1] + 0.2)
    fps, T = rng.choice([10.0, 15.0, 30.0, 25.0]), 16
    out = resample_window(frames, times, t_end, fps, T)
    expected = np.stack([reference_sample(frames, times, t) for t in window_times(t_end, fps, T)])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, expected.astype(np.float32))
