#!/bin/sh
# Regenerates models/bundled/ (the model the demo and the encoder tests use) in under 15 minutes
# on a 2-core CPU: synth -> pretrain (General Feature Prediction, the objective trainer/BENCHMARKS.md
# picks) on the tiny encoder -> linear probe -> export + fixtures.
#   trainer/scripts/make_bundled_model.sh [extra bundle flags]
# `make bundled-model` calls this.
set -eu
cd "$(dirname "$0")/.."
exec /usr/bin/python3 -m skelstream_trainer bundle --out ../models/bundled \
    --config configs/objectives/gfp-tiny.yaml "$@"
