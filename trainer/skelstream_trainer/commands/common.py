"""What every command shares: the flags, device and seed choice, data loading, run folders."""

import argparse
import os
import random
from collections import Counter
from typing import Any, Dict, List, Optional, Sequence as Seq

import numpy as np
import torch

from ..blas_threads import BlasThreads
from ..checkpoint import FILE_NAME, load_checkpoint
from ..config import load_config, preset_names
from ..run_folder import RunFolder
from ..engine.training_state import restore_training_state
from ..time_budget import TimeBudget


class UsageError(ValueError):
    """The command line asks for something impossible (missing --train, no labels, ...)."""


def add_common_flags(parser: argparse.ArgumentParser, checkpoint: bool = False) -> None:
    parser.add_argument("--train", metavar="FILE", help="training data (JSON Lines[.gz], NTU .skeleton folder, "
                        "NTU .npz, PKU-MMD folder); format detected unless --format")
    parser.add_argument("--test", metavar="FILE", help="held-out data, any supported format")
    parser.add_argument("--format", default=None, help="force the dataset format instead of detecting it")
    parser.add_argument("--config", default="tiny",
                        help=f"preset name ({', '.join(preset_names())}) or a YAML file (default: tiny)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config value, e.g. --set pretrain.mask_ratio=0.8 (repeatable)")
    parser.add_argument("--out", metavar="DIR", help="run folder (default: runs/<command>-<time>)")
    parser.add_argument("--device", choices=["cpu", "cuda", "auto"], default="auto",
                        help="where to compute (auto: cuda when available)")
    parser.add_argument("--epochs", type=int, default=None, help="override the config's epochs")
    parser.add_argument("--time-budget", type=float, default=None, metavar="MINUTES",
                        help="stop cleanly (checkpoint + metrics) once this many minutes are spent")
    parser.add_argument("--seed", type=int, default=0, help="seed for torch, numpy and python (default 0)")
    parser.add_argument("--threads", type=int, default=None,
                        help="CPU threads for torch (default: all cores)")
    if checkpoint:
        parser.add_argument("--checkpoint", metavar="PATH", help="run folder or checkpoint file")


def choose_device(name: str) -> torch.device:
    if name == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda was asked for but torch sees no CUDA device")
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def set_threads(threads: Optional[int]) -> int:
    """torch defaults to 1 thread on some builds; use every core unless told otherwise. The BLAS pool gets the same
    count: OpenBLAS ignores torch.set_num_threads and would otherwise oversubscribe the cores."""
    count = threads or os.cpu_count() or 1
    torch.set_num_threads(count)
    BlasThreads().set(count)
    return count


class Session:
    """The state a command starts with: parsed args, config, device, run folder, budget."""

    def __init__(self, args: argparse.Namespace, command: str):
        self.args = args
        self.command = command
        self.config: Dict[str, Any] = load_config(args.config, args.overrides)
        self.device = choose_device(args.device)
        self.threads = set_threads(args.threads)
        seed_everything(args.seed)
        self.run = RunFolder.create(args.out, command)
        self.budget = TimeBudget(args.time_budget)
        self.run.log.info("%s: run folder %s, device %s, %d threads, seed %d, config %s",
                          command, self.run.path, self.device, self.threads, args.seed, self.config["name"])

    def epochs(self, section: str) -> int:
        return int(self.args.epochs if self.args.epochs is not None else self.config[section]["epochs"])


def read_data(path: Optional[str], fmt: Optional[str], what: str) -> List:
    """Sequences of a dataset file; UsageError when the flag is missing."""
    if not path:
        raise UsageError(f"{what} data is needed: pass --{what} FILE")
    from ..data import detect_format, read_sequences  # the readers live in data/
    fmt = fmt or detect_format(path)
    options = {"split": what} if fmt == "ntu-npz" else {}   # one .npz holds both splits
    sequences = list(read_sequences(path, fmt, **options))
    if not sequences:
        raise UsageError(f"{path}: no sequences in this {what} file")
    return sequences


def data_shape(sequences: Seq) -> Dict[str, Any]:
    """The model's layout (the most common one) and persons (the most seen) from training data."""
    layouts = Counter(s.layout for s in sequences)
    return {"layout": layouts.most_common(1)[0][0], "persons": max(s.num_persons for s in sequences)}


def require_labels(sequences: Seq, path: str) -> None:
    unlabelled = [s.id for s in sequences if s.label is None]
    if unlabelled:
        raise UsageError(f"{path}: {len(unlabelled)} sequences have no label (e.g. {unlabelled[0]!r}); "
                         f"this command needs labels")


def make_clips(config: Dict[str, Any], spec: Dict[str, Any], sequences: Seq, train: bool, seed: int,
               labels: Optional[Seq[str]] = None, crops: int = 1):
    """A ClipDataset cutting windows at the model's fps and T (augmented when train)."""
    from ..data import Augmentation, ClipDataset, ClipSampler
    augment = None
    if train:
        options = dict(config.get("augment") or {})
        for key in ("speed", "scale"):
            if key in options:
                options[key] = tuple(options[key])
        augment = Augmentation(**options)
    sampler = ClipSampler(fps=spec["fps"], frames=spec["frames"], persons=spec["persons"],
                          layout=spec["layout"], augment=augment)
    return ClipDataset(sequences, sampler, train=train, seed=seed, labels=labels, crops=crops)


def make_loader(dataset, batch_size: int, shuffle: bool, seed: int, workers: int = 0, drop_last: bool = False):
    generator = torch.Generator()
    generator.manual_seed(seed)
    drop_last = drop_last and len(dataset) > batch_size
    return torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator,
                                       num_workers=workers, drop_last=drop_last,
                                       persistent_workers=workers > 0)


def dataset_name(path: Optional[str]) -> str:
    return os.path.basename(os.path.normpath(path)) if path else ""


def resume_training(session: "Session", kind: str, model, optimizer, loader, epochs: int, schedule, objective=None,
                    backbone=None):
    """With --resume and a checkpoint of `kind` in the run folder, restores the model, optimiser and training state
    (restore_training_state last: it restores the RNG). Restores the lr schedule in place. Returns (start epoch,
    loss history); a fresh run gets (0, [])."""
    log = session.run.log
    if not (session.args.resume and session.run.file(FILE_NAME).exists()):
        return 0, []
    state = load_checkpoint(session.run.path, kinds={kind})
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    history = list(state["metrics"].get("loss_history", []))
    restore_training_state(state["resume"], loader, session.device, epochs, objective, backbone, schedule)
    log.info("resumed from %s at epoch %d (lr schedule of %d steps)", state["path"], state["epoch"], schedule.total)
    return state["epoch"], history
