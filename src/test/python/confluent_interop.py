#!/usr/bin/python3
"""Confluent's own Python client against a running alvlm service (ConfluentInteropIT runs it).

Produces ImageEvents and Labels in Confluent's wire format and decodes the service's
AnnotationRequests and PromptModels with Confluent's deserializer. Everything Confluent ships is
used as is: librdkafka's Producer/Consumer, the CachedSchemaRegistryClient (registration), the
MessageSerializer (encoding by schema id, decoding by the id in each message) and the subject name
strategy functions. Only Debian packages are needed: python3-confluent-kafka, python3-avro,
python3-requests (the fastavro-based AvroSerializer is not packaged, so the older MessageSerializer,
which runs on python3-avro, does the wire format).

Usage: confluent_interop.py CONFIG.json; prints one JSON summary line on stdout.
"""
import datetime
import json
import os
import sys
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.avro import CachedSchemaRegistryClient, loads
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
from confluent_kafka.schema_registry import (record_subject_name_strategy,
                                             topic_record_subject_name_strategy,
                                             topic_subject_name_strategy)
from confluent_kafka.serialization import MessageField, SerializationContext

STRATEGIES = {"topic": topic_subject_name_strategy, "record": record_subject_name_strategy,
              "topic-record": topic_record_subject_name_strategy}


def now():
    return datetime.datetime.now(datetime.timezone.utc)  # python3-avro writes timestamp-millis from datetimes


def register(registry, strategy, topic, schema, deadline):
    """Registers under the strategy's subject; Confluent's Python client does not retry, so this does."""
    subject = strategy(SerializationContext(topic, MessageField.VALUE), schema.fullname)
    while True:
        try:
            return registry.register(subject, schema)
        except Exception as e:  # the registry may be down at first; the IT bounds this by its deadline
            if time.time() > deadline:
                raise RuntimeError("cannot register %s: %s" % (subject, e))
            time.sleep(0.5)


def main():
    cfg = json.load(open(sys.argv[1]))
    deadline = time.time() + cfg["timeout_s"]
    registry = CachedSchemaRegistryClient({"url": cfg["registry_url"],
                                           "basic.auth.credentials.source": "USER_INFO",
                                           "basic.auth.user.info": cfg["user_info"]})
    wire = MessageSerializer(registry)
    strategy = STRATEGIES[cfg["strategy"]]
    image_schema = loads(open(os.path.join(cfg["schemas"], "ImageEvent.avsc")).read())
    label_schema = loads(open(os.path.join(cfg["schemas"], "Label.avsc")).read())
    producer = Producer({"bootstrap.servers": cfg["bootstrap"], "enable.idempotence": True})

    image_id = register(registry, strategy, cfg["images_topic"], image_schema, deadline)
    for name in sorted(os.listdir(cfg["images_dir"])):
        image = name[:-4]
        with open(os.path.join(cfg["images_dir"], name), "rb") as f:
            event = {"id": image, "bytes": f.read(), "uri": None, "contentType": "image/png",
                     "source": "confluent-python", "timestamp": now(), "attributes": {}}
        producer.produce(cfg["images_topic"], key=image.encode(),
                         value=wire.encode_record_with_schema_id(image_id, event))
    producer.flush()

    consumer = Consumer({"bootstrap.servers": cfg["bootstrap"], "group.id": "confluent-python-%d" % os.getpid(),
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
    consumer.subscribe([cfg["queries_topic"], cfg["models_topic"]])
    label_id = None
    requests, versions = [], set()
    while time.time() < deadline and not (len(requests) >= cfg["budget"] and cfg["model_version"] in versions):
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            continue
        value = wire.decode_message(msg.value())  # Confluent's deserializer: writer schema by id
        if msg.topic() == cfg["models_topic"]:
            versions.add(value["version"])
            continue
        requests.append(value["id"])
        if label_id is None:
            label_id = register(registry, strategy, cfg["labels_topic"], label_schema, deadline)
        label = {"id": value["id"], "outcome": "LABELED", "className": cfg["truth"][value["id"]],
                 "annotator": "confluent-python", "queryId": value["queryId"],
                 "labeledAt": now()}
        # Python's avro writer does not fill defaults: give every field the schema defaults, as a producer would
        for field in label_schema.fields:
            if field.name not in label and field.has_default:
                label[field.name] = field.default
        producer.produce(cfg["labels_topic"], key=value["id"].encode(),
                         value=wire.encode_record_with_schema_id(label_id, label))
        producer.flush()
    consumer.close()
    print(json.dumps({"requests": requests, "model_versions": sorted(versions)}))


if __name__ == "__main__":
    main()
