#!/bin/sh
# Regenerates models/bundled/ (the model the demo and the encoder tests use) in under 15 minutes
# on a 2-core CPU: synth -> pretrain tiny -> linear probe -> export + fixtures.
#   trainer/scripts/make_bundled_model.sh [extra bundle flags]
# One torch thread: on a shared 2-core machine a second thread spins against the other
# processes and runs several times slower (BENCHMARKS.md has the numbers).
# The lead's `make bundled-model` calls this.
set -eu
cd "$(dirname "$0")/.."
exec /usr/bin/python3 -m skelstream_trainer bundle --out ../models/bundled --threads 1 "$@"
