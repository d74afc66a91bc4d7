#!/bin/sh
# Creates Glimpse's topics once, before the pipeline and trainer start (docker-compose.yml's
# `topics` service). Idempotent: an existing topic is left as it is. The names and cleanup
# policies are the ones io.glimpse.schemas.topic.Topics declares; ComposeDeploymentTest keeps
# this list in step with it.
#   BOOTSTRAP          the broker's in-network listener (kafka:19092)
#   IMAGE_PARTITIONS   partitions of images and predictions: the most pipeline replicas that
#                      can share the work (--scale pipeline=N up to this)
#   REPLICATION        replication factor (1: the compose file runs one broker)
#   KAFKA_TOPICS       the kafka-topics command
set -eu
BOOTSTRAP="${BOOTSTRAP:-kafka:19092}"
IMAGE_PARTITIONS="${IMAGE_PARTITIONS:-6}"
REPLICATION="${REPLICATION:-1}"
KAFKA_TOPICS="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"

# create <topic> <partitions> [compact]
create() {
  if [ "${3:-}" = compact ]; then
    set -- "$1" "$2" --config cleanup.policy=compact
  else
    set -- "$1" "$2"
  fi
  topic="$1"
  partitions="$2"
  shift 2
  "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$REPLICATION" "$@"
}

create images "$IMAGE_PARTITIONS"
create predictions "$IMAGE_PARTITIONS"
create images.dlq 1
# Compacted and read from the beginning by every pipeline and CLI: one partition keeps order.
create model-versions 1 compact
create model-deployments 1 compact
create model-serving-status 1 compact
# Shadow pipelines and replay evaluations (glimpse models shadow | evaluate), and their comparisons.
create predictions.shadow "$IMAGE_PARTITIONS"
create images.dlq.shadow 1
create predictions.eval "$IMAGE_PARTITIONS"
create images.dlq.eval 1
create model-comparisons 1 compact
# Late labels (keyed by image id, co-partitioned with images and predictions), online accuracy per
# version, drift alerts.
create labels "$IMAGE_PARTITIONS"
create labels.dlq 1
create model-quality 1 compact
create model-alerts 1
echo "Glimpse topics are ready on $BOOTSTRAP."
