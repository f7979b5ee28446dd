"""`synth`: the procedural generator of labelled ntu25 actions (skelstream_trainer.synth)."""

HELP = "generate labelled synthetic skeleton actions (ntu25 JSON Lines, train/test split by subject)"


def add_parser(subparsers) -> None:
    from .. import synth
    parser = subparsers.add_parser("synth", help=HELP, description=HELP)
    if hasattr(synth, "add_arguments"):
        synth.add_arguments(parser)
        parser.set_defaults(run=synth.run_from_args)
