"""Window resampling: the one rule shared by training crops and live stream windows.

The Java stream processor (streams/) cuts live windows with exactly this rule, so a
model sees the same kind of input in training and in production.
"""

from __future__ import annotations

import numpy as np


def window_times(t_end: float, fps: float, frames: int) -> np.ndarray:
    """Sample times of a window, float64 (T,): t_k = t_end - (T-1-k)/F, k = 0..T-1."""
    k = np.arange(frames, dtype=np.float64)
    return float(t_end) - (frames - 1 - k) / float(fps)


def resample_window(frames: np.ndarray, times_s: np.ndarray, t_end: float, fps: float, T: int) -> np.ndarray:
    """Resample a recording to a window of ``T`` frames at ``fps`` ending at ``t_end``.

    frames:  (N, M, V, 3) float, zeros = absent joint/person; times_s: (N,) seconds, ascending
    (non-decreasing). Returns float32 (T, M, V, 3).

    The rule (identical in the trainer and in the Java stream processor):

    1. Sample times t_k = t_end - (T-1-k)/F for k = 0..T-1 (float64; F = ``fps``).
    2. For each t_k let i be the LAST frame with times[i] <= t_k.
       - No such frame (t_k before the first frame) or t_k after the last frame: the
         sample is all zeros (absent: there is no data there).
       - times[i] == t_k, or i is the last frame: the sample is frame i.
       - Otherwise frames i and j = i+1 bracket t_k; w = (t_k - times[i]) / (times[j] - times[i]).
         Per person and joint: if the joint is absent (all three coordinates exactly 0) in
         frame i or frame j, take the NEARER frame's value: frame i when
         (t_k - times[i]) <= (times[j] - t_k) (ties go to the earlier frame), else frame j.
         Otherwise the value is (1 - w) * a + w * b, computed in float64 from the float32
         inputs a = frame i, b = frame j, and rounded once to float32.
    """
    frames = np.asarray(frames)
    times = np.asarray(times_s, dtype=np.float64)
    n = times.shape[0]
    if frames.ndim != 4 or frames.shape[0] != n or frames.shape[-1] != 3:
        raise ValueError(f"frames {frames.shape} and times {times.shape} must be (N,M,V,3) and (N,)")
    out = np.zeros((T,) + frames.shape[1:], dtype=np.float32)
    if n == 0:
        return out
    t = window_times(t_end, fps, T)
    i = np.searchsorted(times, t, side="right") - 1
    inside = (i >= 0) & (t <= times[-1])
    if not inside.any():
        return out
    t, i = t[inside], i[inside]
    j = np.minimum(i + 1, n - 1)
    exact = (j == i) | (times[i] == t)
    span = np.where(exact, 1.0, times[j] - times[i])
    w = np.where(exact, 0.0, (t - times[i]) / span)
    a = frames[i].astype(np.float64)  # (K, M, V, 3)
    b = frames[j].astype(np.float64)
    wb = w[:, None, None, None]
    value = (1.0 - wb) * a + wb * b
    absent = np.all(a == 0.0, axis=-1) | np.all(b == 0.0, axis=-1)  # (K, M, V)
    earlier_is_nearer = (t - times[i]) <= (times[j] - t)
    nearer = np.where(earlier_is_nearer[:, None, None, None], a, b)
    value = np.where(absent[..., None], nearer, value)
    value[exact] = a[exact]
    out[inside] = value.astype(np.float32)
    return out
