#!/usr/bin/python3
"""Latency as a user measures it from outside: Confluent's Python client publishes PNG images to
`images` at a fixed rate and a read_committed consumer on `predictions` records, per image, the
time from the producer's send to the consumer's receipt. Run against `bin/glimpse up` (defaults).

  /usr/bin/python3 docs/results/issue-20/latency_client.py --rate 20 --seconds 60

Needs Debian's python3-confluent-kafka, python3-avro, python3-requests and python3-pil.
"""
import argparse
import io
import json
import random
import threading
import time
import uuid
from datetime import datetime, timezone

from confluent_kafka import Consumer, Producer
from confluent_kafka.avro import CachedSchemaRegistryClient, loads
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
from PIL import Image

SCHEMA = open(__file__.rsplit('/', 4)[0] + '/schemas/src/main/avro/ImageEvent.avsc').read()


def png(seed):
    rnd = random.Random(seed)
    image = Image.new('L', (28, 28))
    image.putdata([rnd.randrange(256) for _ in range(28 * 28)])
    out = io.BytesIO()
    image.save(out, format='PNG')
    return out.getvalue()


def main():
    args = argparse.ArgumentParser()
    args.add_argument('--bootstrap', default='127.0.0.1:9092')
    args.add_argument('--registry', default='http://127.0.0.1:8081')
    args.add_argument('--rate', type=float, default=20)
    args.add_argument('--seconds', type=float, default=60)
    args.add_argument('--warm-up', type=float, default=5)
    a = args.parse_args()

    run = uuid.uuid4().hex[:8]
    sent = {}
    received = {}
    consumer = Consumer({'bootstrap.servers': a.bootstrap, 'group.id': 'latency-' + run,
                         'isolation.level': 'read_committed', 'auto.offset.reset': 'latest',
                         'enable.auto.commit': False})
    consumer.subscribe(['predictions'])
    # Wait for the assignment, so no prediction is missed.
    while not consumer.assignment():
        consumer.poll(0.1)
    done = threading.Event()

    def consume():
        while not done.is_set():
            msg = consumer.poll(0.05)
            if msg is None or msg.error():
                continue
            key = msg.key().decode()
            if key in sent and key not in received:
                received[key] = time.time()

    reader = threading.Thread(target=consume, daemon=True)
    reader.start()
    # Plain string keys (predictions carry the image's key byte for byte), registry-framed values.
    serializer = MessageSerializer(CachedSchemaRegistryClient({'url': a.registry}))
    schema = loads(SCHEMA)
    producer = Producer({'bootstrap.servers': a.bootstrap, 'linger.ms': 0})
    images = [png(i) for i in range(50)]
    total = int(a.rate * (a.warm_up + a.seconds))
    start = time.time()
    for i in range(total):
        due = start + i / a.rate
        pause = due - time.time()
        if pause > 0:
            time.sleep(pause)
        key = '%s-%06d' % (run, i)
        now = time.time()
        sent[key] = now
        producer.produce(topic='images', key=key.encode(), value=serializer.encode_record_with_schema(
            'images', schema, {
            'id': key, 'source': 'latency_client', 'contentType': 'image/png',
            'data': images[i % len(images)], 'width': None, 'height': None, 'channels': None,
            'eventTime': datetime.fromtimestamp(now, timezone.utc), 'metadata': {}, 'label': None}))
        producer.poll(0)
    producer.flush()
    deadline = time.time() + 30
    while len(received) < total and time.time() < deadline:
        time.sleep(0.05)
    done.set()
    reader.join()
    consumer.close()
    measured = sorted((received[k] - sent[k]) * 1000 for k in sent
                      if k in received and sent[k] >= start + a.warm_up)

    def pct(p):
        return measured[max(0, min(len(measured), int(-(-p * len(measured) // 1))) - 1)]

    print(json.dumps({'rate': a.rate, 'images': len(measured), 'lost': total - len(received),
                      'p50_ms': round(pct(0.50), 1), 'p90_ms': round(pct(0.90), 1), 'p95_ms': round(pct(0.95), 1),
                      'p99_ms': round(pct(0.99), 1), 'max_ms': round(measured[-1], 1)}))


if __name__ == '__main__':
    main()
