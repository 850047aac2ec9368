"""Read and write the Arc wire form with nothing but msgpack and the standard library.

Usage: python3 arc_wire.py DIR
  Decodes every DIR/cs_*.msgpack (written by C#) into DIR/summary.json, and
  encodes new values from scratch into DIR/py_<tag>.msgpack (read back by C#).
"""
import json
import os
import struct
import sys

import msgpack

# dtype name -> struct format character (always used with "<": little-endian, standard sizes)
FORMATS = {"float32": "f", "float64": "d", "int32": "i", "int64": "q", "uint8": "B", "bool": "?"}


def decode_array(part):
    """A tensor part {"dtype", "shape", "data"} -> (dtype, shape, flat row-major list of values)."""
    dtype, shape, data = part["dtype"], part["shape"], part["data"]
    code = "<" + FORMATS[dtype]
    count = 1
    for dim in shape:
        count *= dim
    if len(data) != count * struct.calcsize(code):
        raise ValueError("shape %r of %s needs %d bytes, data has %d" % (shape, dtype, count * struct.calcsize(code), len(data)))
    return dtype, list(shape), list(struct.unpack("<%d%s" % (count, FORMATS[dtype]), data))


def encode_array(dtype, shape, values):
    """(dtype, shape, flat row-major values) -> the three keys of a tensor part."""
    return {"dtype": dtype, "shape": list(shape), "data": struct.pack("<%d%s" % (len(values), FORMATS[dtype]), *values)}


def summarize_array(part):
    dtype, shape, values = decode_array(part)
    return {"dtype": dtype, "shape": shape, "values": [float(v) for v in values], "sum": float(sum(values))}


def decode(payload):
    """Wire bytes -> a JSON-friendly summary of the value they hold."""
    value = msgpack.unpackb(payload, raw=False)  # bins come back as bytes, strings as str
    if value.get("v") != 1:
        raise ValueError("unsupported wire-form version %r" % value.get("v"))
    tag = value["arc"]
    if tag in ("image", "audio", "video", "class", "label"):
        summary = summarize_array(value)
    else:
        summary = {}
    summary["arc"] = tag
    if tag == "audio":
        summary["rate"] = value["rate"]
    if tag == "video":
        summary["fps"] = value["fps"]
    if tag in ("class", "label"):
        summary["names"] = value["names"]
    if tag == "class" and value.get("scores") is not None:
        summary["scores"] = summarize_array(value["scores"])
    if tag == "label":
        _, (n, k), hot = decode_array(value)
        summary["sets"] = [[value["names"][j] for j in range(k) if hot[i * k + j]] for i in range(n)]
    if tag == "text":
        summary["texts"] = value["texts"]
    if tag == "table":
        summary["rows"] = value["rows"]
        summary["columns"] = []
        for column in value["columns"]:
            if column["dtype"] == "string":
                summary["columns"].append({"name": column["name"], "dtype": "string", "values": column["values"]})
            else:
                summary["columns"].append(dict(summarize_array(column), name=column["name"]))
    return summary


def make_values():
    """New values written from scratch following docs/wire-format.md (keys deliberately not in C#'s order)."""
    made_by = {"made_by": "python"}  # an unknown key: readers must skip it
    return {
        "image": dict(encode_array("float32", [2, 1, 2, 3], [i * 0.5 - 1 for i in range(12)]), arc="image", v=1, **made_by),
        "class": dict(encode_array("int64", [3], [2, 0, 1]), names=["ant", "bee", "cow"],
                      scores=encode_array("float32", [3, 3], [i / 8 for i in range(9)]), arc="class", v=1),
        "text": {"texts": ["π ≈ 3.14159", "", "multi\nline"], "v": 1, "arc": "text"},
        "table": {"arc": "table", "v": 1, "rows": 3, "columns": [
            dict(encode_array("int64", [3], [10, 20, 30]), name="id"),
            dict(encode_array("float64", [3], [0.5, 1.25, -2.0]), name="weight"),
            {"name": "name", "dtype": "string", "values": ["a", "b", "c"]},
            dict(encode_array("bool", [3], [True, False, True]), name="ok"),
        ]},
        "label": dict(encode_array("uint8", [2, 3], [1, 0, 1, 0, 1, 0]), names=["x", "y", "z"], arc="label", v=1),
        "audio": dict(encode_array("float32", [1, 2, 4], [i / 4 for i in range(8)]), rate=22050, arc="audio", v=1),
        "video": dict(encode_array("uint8", [1, 2, 1, 2, 2], list(range(8))), fps=12.5, arc="video", v=1),
    }


def main(directory):
    summaries = {}
    for name in sorted(os.listdir(directory)):
        if name.startswith("cs_") and name.endswith(".msgpack"):
            with open(os.path.join(directory, name), "rb") as f:
                summaries[name] = decode(f.read())
    with open(os.path.join(directory, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summaries, f, ensure_ascii=False)
    for tag, value in make_values().items():
        with open(os.path.join(directory, "py_%s.msgpack" % tag), "wb") as f:
            f.write(msgpack.packb(value, use_bin_type=True))


if __name__ == "__main__":
    main(sys.argv[1])
