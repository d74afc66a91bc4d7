#!/usr/bin/python3
"""Produce or consume one ImageEvent with Confluent's own (legacy) Python Avro client.

Used by ConfluentPythonInteropTest: a client nobody on this project wrote, talking to
Glimpse's embedded broker and schema registry.

  confluent_avro_client.py produce BOOTSTRAP REGISTRY TOPIC SCHEMA_FILE ID
  confluent_avro_client.py consume BOOTSTRAP REGISTRY TOPIC GROUP TIMEOUT_S

consume prints the record it read as one JSON line on stdout, with its key as "_key".
"""
import base64
import datetime
import json
import sys
import time

import avro.schema
from confluent_kafka.avro import AvroConsumer, AvroProducer


def produce(bootstrap, registry, topic, schema_file, image_id):
    with open(schema_file) as f:
        schema = avro.schema.parse(f.read())
    producer = AvroProducer(
        {"bootstrap.servers": bootstrap, "schema.registry.url": registry},
        default_value_schema=schema,
    )
    value = {
        "id": image_id,
        "source": "python-confluent-kafka",
        "contentType": "application/x-raw-pixels",
        "data": bytes([0, 64, 128, 255]),
        "width": 2,
        "height": 2,
        "channels": 1,
        "eventTime": datetime.datetime(2026, 11, 25, 12, 0, 0, 123000, tzinfo=datetime.timezone.utc),
        "metadata": {"written-by": "python"},
        "label": "Bag",
    }
    producer.produce(topic=topic, key=None, value=value)
    remaining = producer.flush(30)
    if remaining:
        sys.exit("%d record(s) not delivered" % remaining)


def consume(bootstrap, registry, topic, group, timeout_s):
    consumer = AvroConsumer(
        {
            "bootstrap.servers": bootstrap,
            "schema.registry.url": registry,
            "group.id": group,
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    deadline = time.time() + float(timeout_s)
    try:
        while time.time() < deadline:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                sys.exit("consumer error: %s" % msg.error())
            value = msg.value()
            value["data"] = base64.b64encode(value["data"]).decode("ascii")
            event_time = value["eventTime"]
            value["eventTime"] = int(event_time.timestamp() * 1000)
            value["_key"] = msg.key()
            print(json.dumps(value, sort_keys=True))
            return
    finally:
        consumer.close()
    sys.exit("no record within %s s" % timeout_s)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    {"produce": produce, "consume": consume}[mode](*args)
