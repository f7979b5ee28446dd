#!/bin/sh
# Regenerates encoder/src/test/resources/graph-model/ (read by the encoder's GraphModelParityTest):
# a graph SkeletonMAE (configs/objectives/graph_skeleton_mae-tiny.yaml, the tiny preset) pre-trained
# and probed for a few epochs on a small synthetic set, exported by the normal `export` command
# with its parity fixtures. It proves that the graph encoder runs unchanged in the stream
# processor, not that it is accurate. About a minute on one core; the folder stays under 2 MB.
#   trainer/scripts/make_graph_test_model.sh [WORK_DIR]
set -eu
cd "$(dirname "$0")/.."
work=${1:-runs/graph-test-model}
dest=../encoder/src/test/resources/graph-model
config=configs/objectives/graph_skeleton_mae-tiny.yaml
py="/usr/bin/python3 -m skelstream_trainer"
rm -rf "$work"
$py synth --out "$work/synth" --train-size 48 --test-size 16 --train-subjects 4 --test-subjects 2 \
    --classes wave,clap,walk,jump --seed 11
common="--train $work/synth/train.jsonl.gz --config $config --threads 1 --device cpu --seed 11"
$py pretrain $common --out "$work/pretrain" --epochs 3 --set pretrain.warmup_epochs=1
$py probe $common --test "$work/synth/test.jsonl.gz" --checkpoint "$work/pretrain" --out "$work/probe" --epochs 5
$py export $common --test "$work/synth/test.jsonl.gz" --checkpoint "$work/probe" --out "$work/export" \
    --name graph-skeleton-mae-tiny
mkdir -p "$dest"
rm -f "$dest"/*.onnx "$dest"/fixtures.json
cp "$work/export/graph-skeleton-mae-tiny.onnx" "$work/export/fixtures.json" "$dest/"
du -b "$dest"/*
