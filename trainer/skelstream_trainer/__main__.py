"""python3 -m skelstream_trainer <synth|pretrain|probe|finetune|export|evaluate|bundle> [--help]"""

import argparse
import sys

from .checkpoint import CheckpointError
from .config import ConfigError
from .commands import bundle, evaluate, export, finetune, pretrain, probe, synth
from .commands.common import UsageError
from .data.errors import DatasetFormatError
from .layouts import LayoutError
from .registry import UnknownNameError

COMMANDS = (synth, pretrain, probe, finetune, export, evaluate, bundle)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python3 -m skelstream_trainer",
                                     description="SkelStream trainer: skeleton datasets, masked pre-training, "
                                                 "probe/fine-tune, ONNX export.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (UsageError, ConfigError, CheckpointError, DatasetFormatError, LayoutError, UnknownNameError) as e:
        # bad input (a file, a flag, a config key): one clear line, no traceback
        message = e.args[0] if isinstance(e, UnknownNameError) and e.args else str(e)
        print(f"skelstream_trainer {args.command}: error: {message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
