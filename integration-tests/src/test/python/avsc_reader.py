#!/usr/bin/env python3
"""A SkelStream client that is not ours: decodes topic values with nothing but the .avsc files.

Reads one base64-encoded Kafka record value per line on stdin and prints each decoded record as one
JSON line on stdout (bytes fields as lists of ints, so floats can be checked). Uses Debian's
python3-avro for the Avro binary body; the single-object header (C3 01 + 8-byte little-endian
CRC-64-AVRO fingerprint of the schema's Parsing Canonical Form) is checked here, from the spec, so
no SkelStream code is involved anywhere.

    avsc_reader.py --schema-dir schemas/src/main/avro --record ActionEvent < values.b64
"""
import argparse
import base64
import datetime
import io
import json
import pathlib
import sys

import avro.io
import avro.schema

MARKER = b"\xc3\x01"
CRC64_EMPTY = 0xC15D213AA4D7A795


def _crc64_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (CRC64_EMPTY & -(fp & 1))
        table.append(fp & 0xFFFFFFFFFFFFFFFF)
    return table


_TABLE = _crc64_table()


def crc64_avro(data: bytes) -> int:
    fp = CRC64_EMPTY
    for b in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp


PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
PCF_ORDER = ["name", "type", "fields", "symbols", "items", "values", "size"]


def canonical_form(doc, namespace=None, seen=None) -> str:
    """The spec's Parsing Canonical Form, written from its rules: full names, only the attributes
    that matter for parsing (logicalType, doc, default... are stripped), fixed attribute order, no
    whitespace, each named type spelled out once. python-avro 1.11 keeps logicalType, so its own
    canonical form gives the wrong fingerprint."""
    seen = set() if seen is None else seen
    if isinstance(doc, str):
        if doc in PRIMITIVES:
            return json.dumps(doc)
        full = doc if "." in doc or namespace is None else f"{namespace}.{doc}"
        return json.dumps(full)
    if isinstance(doc, list):
        return "[" + ",".join(canonical_form(d, namespace, seen) for d in doc) + "]"
    kind = doc["type"]
    if kind in PRIMITIVES:
        return json.dumps(kind)
    if kind in ("record", "enum", "fixed"):
        name = doc["name"]
        ns = doc.get("namespace", namespace)
        full = name if "." in name or not ns else f"{ns}.{name}"
        ns = full.rsplit(".", 1)[0] if "." in full else None
        if full in seen:
            return json.dumps(full)
        seen.add(full)
        parts = [f'"name":{json.dumps(full)}', f'"type":{json.dumps(kind)}']
        if kind == "record":
            fields = ",".join(
                "{" + f'"name":{json.dumps(f["name"])},"type":{canonical_form(f["type"], ns, seen)}' + "}"
                for f in doc["fields"])
            parts.append(f'"fields":[{fields}]')
        elif kind == "enum":
            parts.append('"symbols":' + json.dumps(doc["symbols"], separators=(",", ":")))
        else:
            parts.append(f'"size":{int(doc["size"])}')
        return "{" + ",".join(parts) + "}"
    if kind == "array":
        return '{"type":"array","items":' + canonical_form(doc["items"], namespace, seen) + "}"
    if kind == "map":
        return '{"type":"map","values":' + canonical_form(doc["values"], namespace, seen) + "}"
    return canonical_form(kind, namespace, seen)  # {"type": "string", "logicalType": ...} and the like


def load_schemas(schema_dir: pathlib.Path) -> dict:
    """Parses every .avsc in the folder; files may refer to types defined in others."""
    pending = {p: json.loads(p.read_text()) for p in sorted(schema_dir.glob("*.avsc"))}
    names = avro.schema.Names()
    parsed = {}
    pcf = {doc["name"]: canonical_form(doc) for doc in pending.values()}
    while pending:
        progress = False
        for path, doc in list(pending.items()):
            try:
                schema = avro.schema.make_avsc_object(doc, names)
            except avro.schema.SchemaParseException:
                continue  # refers to a type not parsed yet
            parsed[schema.name] = (schema, pcf[doc["name"]])
            del pending[path]
            progress = True
        if not progress:
            raise SystemExit(f"cannot parse schemas: {sorted(str(p) for p in pending)}")
    return parsed


def to_json(value):
    if isinstance(value, datetime.datetime):  # timestamp-micros comes back as a datetime
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return (value - epoch) // datetime.timedelta(microseconds=1)
    if isinstance(value, bytes):
        return list(value)
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schema-dir", required=True, type=pathlib.Path)
    ap.add_argument("--record", required=True, help="record name, e.g. ActionEvent")
    args = ap.parse_args()

    schema, pcf = load_schemas(args.schema_dir)[args.record]
    fingerprint = crc64_avro(pcf.encode("utf-8")).to_bytes(8, "little")
    reader = avro.io.DatumReader(schema)
    for n, line in enumerate(sys.stdin, 1):
        value = base64.b64decode(line.strip())
        if value[:2] != MARKER:
            raise SystemExit(f"record {n}: not single-object encoded (starts {value[:2].hex()})")
        if value[2:10] != fingerprint:
            raise SystemExit(f"record {n}: fingerprint {value[2:10].hex()} is not {args.record}'s {fingerprint.hex()}")
        decoder = avro.io.BinaryDecoder(io.BytesIO(value[10:]))
        print(json.dumps(to_json(reader.read(decoder))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
