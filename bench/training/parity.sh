#!/usr/bin/env bash
# Parity check: deep_cnn f=8 and shallow_mlp h=81 trained by pktgrid and by
# PyTorch-Python on the same real dataset, split and hyperparameters, 3 seeds
# each; prints a table of test accuracies, the means and their difference.
# Runs on request, not in CI (about 10 minutes on 2 cores; MAX_EPOCHS=20 for
# about 4). See README.md.
#
#   bench/training/parity.sh [extra compare.py parity flags]
#   MAX_EPOCHS=20 PCAPS=/path/to/pcaps DATASET=/tmp/x.pktds bench/training/parity.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

PCAPS=${PCAPS:-/work/shared/pcaps/ndpi}
DATASET=${DATASET:-${TMPDIR:-/tmp}/pktgrid-parity.pktds}
MAX_EPOCHS=${MAX_EPOCHS:-50}
BIN=bazel-out/k8-opt/bin  # not bazel-bin, which follows the last config built

bazel build //cli:pktgrid //bench/training:train_bench >&2
if [[ ! -s "$DATASET" ]]; then
  # Six classes, up to 2000 packets each, the paper's 64/16/20 split.
  "$BIN/cli/pktgrid" preprocess --pcap "$PCAPS" --classes top:6 \
    --take_available --per_class 2000 --out "$DATASET" >&2
fi
exec /usr/bin/python3 bench/training/compare.py parity --dataset "$DATASET" \
  --max_epochs "$MAX_EPOCHS" "$@"
