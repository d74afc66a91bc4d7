"""The Python peer of `glimpse bench pipeline`: the same job as Glimpse's pipeline, as a careful
Python user would write it with Debian's packages.

A loop on one thread: consume up to a batch of ImageEvents (Confluent's Python client, librdkafka),
decode each record's registry framing and Avro body (confluent_kafka.avro's MessageSerializer with
the schema registry, Debian's python3-avro), decode the image with PIL (for a JPEG, Image.draft
first, so libjpeg decodes at the smallest 1/2^k scale still at least the model's input), resize it
bilinearly to the input, normalize, run the batch through PyTorch eager (MobileNetV1 of the same
shape, random weights, from pytorch_engine.py), produce one Avro Prediction per image (top-k, the
same schema as Glimpse's) keyed by the image's key, wait until the broker has them (flush), then
commit the consumer's offsets: at-least-once, the offsets never run ahead of the predictions.

Run as `python3 python_peer.py CONFIG.json` (the benchmark writes CONFIG). It stops after the
configured number of images and prints one JSON line: images, seconds (from the first record
consumed to the last prediction acknowledged), images_per_s, and where the time went.
"""

import datetime
import io
import json
import sys
import time

import numpy as np
import torch
from confluent_kafka import Consumer, KafkaException, Producer, libversion, version
from confluent_kafka.avro import CachedSchemaRegistryClient, loads
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
from PIL import Image
from PIL import __version__ as pil_version

from pytorch_engine import MobileNetV1

RAW = "application/x-raw-pixels"
BILINEAR = getattr(Image, "Resampling", Image).BILINEAR  # Pillow 9.1 moved it


class Preprocessor:
    """Encoded image bytes to one normalized C x S x S float array."""

    def __init__(self, channels, size, mean, std):
        self.mode = "L" if channels == 1 else "RGB"
        self.size = size
        self.scale = (1 / (255 * np.asarray(std, dtype=np.float32))).reshape(-1, 1, 1)
        self.offset = (-np.asarray(mean, dtype=np.float32) / np.asarray(std, dtype=np.float32)).reshape(-1, 1, 1)

    def __call__(self, event):
        if event["contentType"] == RAW:
            pixels = np.frombuffer(event["data"], dtype=np.uint8)
            shape = (event["height"], event["width"], event["channels"])
            image = Image.fromarray(pixels.reshape(shape).squeeze(2) if shape[2] == 1 else pixels.reshape(shape))
        else:
            image = Image.open(io.BytesIO(event["data"]))
            image.draft(self.mode, (self.size, self.size))  # JPEG only: decode at a reduced scale
        image = image.convert(self.mode).resize((self.size, self.size), BILINEAR)
        array = np.asarray(image, dtype=np.float32)
        array = array[None] if array.ndim == 2 else array.transpose(2, 0, 1)
        return array * self.scale + self.offset


class Stopwatch:
    """Seconds spent in each stage of the loop."""

    def __init__(self):
        self.seconds = {}
        self.mark = time.perf_counter()

    def lap(self, stage):
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.mark
        self.mark = now
        return now


def malloc():
    """tcmalloc or jemalloc when one is mapped into this process (LD_PRELOAD), else glibc."""
    with open("/proc/self/maps", encoding="utf-8") as maps:
        text = maps.read()
    return next((name for name in ("tcmalloc", "jemalloc") if "lib" + name in text), "glibc")


def model_for(config):
    torch.set_num_threads(int(config["threads"]))
    torch.manual_seed(0)
    model = MobileNetV1(float(config["alpha"]), int(config["channels"]), len(config["labels"])).eval()
    with torch.no_grad():  # warm up, as a service does before it takes traffic
        size = int(config["size"])
        for _ in range(2):
            model(torch.zeros(int(config["batch"]), int(config["channels"]), size, size)).softmax(1)
    return model


def run(config):
    model = model_for(config)
    preprocess = Preprocessor(int(config["channels"]), int(config["size"]), config["mean"], config["std"])
    serde = MessageSerializer(CachedSchemaRegistryClient({"url": config["registry"]}))
    prediction_schema = loads(config["prediction_schema"])
    labels = config["labels"]
    top_k = min(int(config["top_k"]), len(labels))
    batch_size = int(config["batch"])
    out = config["predictions_topic"]
    consumer = Consumer(
        {
            "bootstrap.servers": config["bootstrap"],
            "group.id": config["group"],
            "client.id": "glimpse-bench-python-peer",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    producer = Producer(
        {
            "bootstrap.servers": config["bootstrap"],
            "client.id": "glimpse-bench-python-peer",
            "acks": "all",
            "linger.ms": 5,
            "enable.idempotence": True,
        }
    )
    producer.list_topics(out, timeout=30)  # connect at startup, not on the first prediction
    failures = []

    def delivered(error, _message):
        if error is not None:
            failures.append(error)

    consumer.subscribe([config["images_topic"]])
    expected = int(config["images"])
    deadline = time.monotonic() + float(config["timeout_s"])
    linger = float(config["linger_ms"]) / 1000
    done = 0
    first = None
    watch = Stopwatch()
    try:
        while done < expected:
            if time.monotonic() > deadline:
                raise TimeoutError("%d of %d images after %s s" % (done, expected, config["timeout_s"]))
            messages = consumer.consume(num_messages=batch_size, timeout=linger)
            if not messages:
                watch.lap("waiting")
                continue
            if first is None:
                first = watch.lap("waiting")
            keys, events = [], []
            for message in messages:
                if message.error():
                    raise KafkaException(message.error())
                keys.append(message.key())
                events.append(serde.decode_message(message.value()))
            watch.lap("consume_avro_decode")
            batch = torch.from_numpy(np.stack([preprocess(event) for event in events]))
            watch.lap("image_decode_resize")
            with torch.no_grad():
                top = model(batch).softmax(1).topk(top_k, 1)
            watch.lap("inference")
            now = datetime.datetime.now(datetime.timezone.utc)
            for key, event, probabilities, indices in zip(keys, events, top.values.tolist(), top.indices.tolist()):
                prediction = {
                    "imageId": event["id"],
                    "source": event["source"],
                    "modelName": config["model_name"],
                    "modelVersion": config["model_version"],
                    "topK": [
                        {"label": labels[i], "classIndex": i, "probability": p}
                        for p, i in zip(probabilities, indices)
                    ],
                    "timings": {"queuedMs": 0, "inferenceMs": 0, "endToEndMs": 0},
                    "batchSize": len(events),
                    "eventTime": event["eventTime"],
                    "processedTime": now,
                    "label": event.get("label"),
                }
                value = serde.encode_record_with_schema(out, prediction_schema, prediction)
                producer.produce(out, value=value, key=key, on_delivery=delivered)
            watch.lap("avro_encode_produce")
            producer.flush()
            if failures:
                raise KafkaException(failures[0])
            consumer.commit(asynchronous=False)  # after the predictions are on the broker
            done += len(messages)
            last = watch.lap("flush_commit")
    finally:
        consumer.close()
    seconds = last - first
    stages = {k: v for k, v in watch.seconds.items() if k != "waiting"}
    return {
        "images": done,
        "seconds": seconds,
        "images_per_s": done / seconds,
        "ms_per_image": {stage: 1000 * s / done for stage, s in stages.items()},
        "threads": torch.get_num_threads(),
        "malloc": malloc(),
        "torch": torch.__version__,
        "confluent_kafka": version()[0],
        "librdkafka": libversion()[0],
        "pil": pil_version,
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        config = json.load(f)
    try:
        result = run(config)
    except Exception as e:  # reported to the benchmark, which reports the peer as failed
        result = {"error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
