#!/bin/bash
# The pipeline's latency while a retraining round trains beside it on the same machine
# (issue 21: "while training runs ... the pipeline's p95 latency stays within 2x of idle").
# bin/glimpse up serves (quality app on, the default); an outside client publishes PNGs at a fixed
# rate and times each image to its prediction (docs/results/issue-20/latency_client.py), first with
# nothing else running, then while `glimpse train` runs the retraining loop's recipe (fine-tune,
# one worker, --threads 1, as `glimpse retrain` does by default), then while the same run uses
# every core (--threads 2 --workers 2), for contrast.
#   bash docs/results/issue-21/retrain_latency.sh [rate] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../../.."
RATE="${1:-50}"
SECONDS_EACH="${2:-40}"
DATA="$(mktemp -d)"
LOG="$DATA/up.log"
bin/glimpse up --data-dir "$DATA" --http-port 8089 >"$LOG" 2>&1 &
UP=$!
trap 'kill -TERM $UP 2>/dev/null; wait $UP 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null http://127.0.0.1:8089/health/ready 2>/dev/null && break
  sleep 1
done
curl -fsS http://127.0.0.1:8089/health/ready >/dev/null
STORE="$DATA/models/store"
MODEL="$(ls "$STORE" | head -1)"
VERSION="$(ls "$STORE/$MODEL" | sort -n | head -1)"
measure() {
  /usr/bin/python3 docs/results/issue-20/latency_client.py --rate "$RATE" --seconds "$SECONDS_EACH"
}
train() {
  bin/glimpse train --dataset fashion-mnist --init-from "$MODEL" "$VERSION" --store "$STORE" \
    --epochs 30 --max-batches 40 --output "$DATA/run-$1" "${@:2}" \
    >"$DATA/train-$1.log" 2>&1 &
  echo $!
}
measure >/dev/null # warm-up: the JIT and the first batches, not counted
echo "idle:                $(measure)"
T=$(train capped --workers 1 --threads 1); sleep 15
echo "training, 1 thread:  $(measure)"
kill $T 2>/dev/null || true; wait $T 2>/dev/null || true
echo "idle:                $(measure)"
T=$(train uncapped --workers 2 --threads 2); sleep 15
echo "training, 2 threads: $(measure)"
kill $T 2>/dev/null || true; wait $T 2>/dev/null || true
echo "idle:                $(measure)"
