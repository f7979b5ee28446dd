"""Fixed-duration clips for training and evaluation, cut the way the stream processor cuts
live windows: T frames at the model's fps, resampled by :func:`resample_window`.

    sampler = ClipSampler(fps=30, frames=64, persons=2, layout="ntu25", augment=Augmentation())
    train = ClipDataset(train_seqs, sampler, train=True, seed=0)     # torch Dataset
    clip, label = train[0]        # float32 tensor (T, M, V, 3), int64 label index (-1: unlabelled)
    test = ClipDataset(test_seqs, sampler, train=False, labels=train.labels, crops=1)
"""

from __future__ import annotations

from typing import List, Optional, Sequence as Seq, Tuple

import numpy as np
import torch

from ..layouts import Layout, get_layout, map_frames
from .augment import Augmentation, augment_clip
from .sequence import Sequence, pad_persons
from .windows import resample_window


class ClipSampler:
    """Turns a :class:`Sequence` into model-ready clips float32 (T, M, V, 3).

    fps, frames: the model's frame rate F and window length T (a clip spans (T-1)/F seconds).
    persons:     the model's M; extra persons are dropped, missing ones are zeros. None keeps M.
    layout:      the model's layout; sequences in another layout are mapped (absent joints = 0).
                 None keeps each sequence's layout.
    augment:     training augmentations (None = none). Test crops are never augmented.
    """

    def __init__(self, fps: float, frames: int, persons: Optional[int] = None, layout: Optional[str] = None,
                 augment: Optional[Augmentation] = None):
        if fps <= 0 or frames < 1:
            raise ValueError(f"need fps > 0 and frames >= 1, got fps={fps}, frames={frames}")
        self.fps = float(fps)
        self.frames = int(frames)
        self.persons = persons
        self.layout = layout
        self.augment = augment or Augmentation.none()

    @property
    def window_s(self) -> float:
        """Duration covered by one clip, first to last sample: (T-1)/F seconds."""
        return (self.frames - 1) / self.fps

    def _prepare(self, seq: Sequence) -> Tuple[np.ndarray, Layout]:
        frames = seq.frames
        layout = get_layout(self.layout or seq.layout)
        if self.layout and self.layout != seq.layout:
            frames = map_frames(frames, seq.layout, self.layout)
        if self.persons is not None:
            frames = pad_persons(frames, self.persons)
        return frames, layout

    def train_clip(self, seq: Sequence, rng: np.random.Generator) -> np.ndarray:
        """One random augmented crop (T, M, V, 3): random speed, random position in time, then
        the spatial augmentations. Sequences shorter than the window sit at a random place
        inside it, zeros around."""
        frames, layout = self._prepare(seq)
        times = seq.times_s()
        aug = self.augment
        if aug.frame_drop_p > 0 and len(times) > 2:
            keep = rng.random(len(times)) >= aug.frame_drop_p
            keep[[0, -1]] = True  # the recording keeps its extent
            frames, times = frames[keep], times[keep]
        speed = aug.sample_speed(rng)
        times = times / speed  # playing s times faster compresses the time axis
        length = float(times[-1]) if len(times) else 0.0
        lo, hi = sorted((self.window_s, length))
        t_end = rng.uniform(lo, hi)
        clip = resample_window(frames, times, t_end, self.fps, self.frames)
        return augment_clip(clip, layout, aug, rng)

    def test_clips(self, seq: Sequence, crops: int = 1) -> np.ndarray:
        """``crops`` evenly spaced crops (crops, T, M, V, 3), no augmentation. One crop is the
        centre crop; a sequence shorter than the window is centred in it."""
        frames, _ = self._prepare(seq)
        times = seq.times_s()
        length = float(times[-1]) if len(times) else 0.0
        if crops == 1 or length <= self.window_s:
            ends = np.full(crops, (length + self.window_s) / 2.0)
        else:
            ends = np.linspace(self.window_s, length, crops)
        return np.stack([resample_window(frames, times, e, self.fps, self.frames) for e in ends])


class ClipDataset(torch.utils.data.Dataset):
    """A torch Dataset of clips: item i -> (float32 tensor (T, M, V, 3) or (crops, T, M, V, 3)
    when crops > 1 in test mode, int64 label index; -1 when the sequence has no label).

    train=True draws a fresh random crop per item from rng seeded by (seed, epoch, index), so
    results do not depend on DataLoader workers; call :meth:`set_epoch` each epoch.
    labels: class names in index order; default: the sorted distinct labels of ``sequences``.
    """

    def __init__(self, sequences: Seq[Sequence], sampler: ClipSampler, train: bool = True, seed: int = 0,
                 labels: Optional[Seq[str]] = None, crops: int = 1):
        self.sequences = list(sequences)
        self.sampler = sampler
        self.train = train
        self.seed = int(seed)
        self.crops = int(crops)
        # the epoch lives in shared memory: persistent DataLoader workers hold their own copy of the dataset,
        # and a plain attribute set in the main process would never reach them (every epoch would repeat epoch 0)
        self._epoch = torch.zeros((), dtype=torch.int64).share_memory_()
        if labels is None:
            labels = sorted({s.label for s in self.sequences if s.label is not None})
        self.labels: List[str] = list(labels)
        index = {name: i for i, name in enumerate(self.labels)}
        self.targets = np.full(len(self.sequences), -1, dtype=np.int64)
        for k, seq in enumerate(self.sequences):
            if seq.label is not None:
                if seq.label not in index:
                    raise ValueError(f"sequence {seq.id!r} has label {seq.label!r}, not among the "
                                     f"{len(self.labels)} known labels")
                self.targets[k] = index[seq.label]

    @property
    def epoch(self) -> int:
        return int(self._epoch)

    def set_epoch(self, epoch: int) -> None:
        self._epoch.fill_(int(epoch))

    def __len__(self) -> int:
        return len(self.sequences)

    def __getitem__(self, i: int):
        seq = self.sequences[i]
        if self.train:
            rng = np.random.default_rng((self.seed, self.epoch, int(i)))
            clip = self.sampler.train_clip(seq, rng)
        else:
            clip = self.sampler.test_clips(seq, self.crops)
            if self.crops == 1:
                clip = clip[0]
        return torch.from_numpy(clip), torch.tensor(self.targets[i], dtype=torch.int64)
