"""Synthetic labelled actions in the ntu25 layout, for tests, the demo and the bundled model.

Each recording is a subject (own bone lengths, handedness, tempo, amplitude, resting pose)
performing one action, built from joint-angle trajectories and forward kinematics over the
ntu25 bone tree, with idle time before and after, seen by a sensor at a random viewpoint,
height and distance, with noise, outliers, dropped frames, hidden legs when seated, and
sometimes a second person in view (always person 1; the actor is person 0).

    from skelstream_trainer.synth import SynthConfig, generate, write_dataset
    train, test = generate(SynthConfig(train_size=3000, test_size=600, seed=0))

Command line: ``python3 -m skelstream_trainer synth --out data/synth`` (see cli.py).
"""

from .actions import CLASSES
from .cli import add_arguments, cli_main, run, run_from_args
from .dataset import SynthConfig, generate, make_subjects, write_dataset

__all__ = ["CLASSES", "SynthConfig", "add_arguments", "cli_main", "generate", "make_subjects", "run",
           "run_from_args", "write_dataset"]
