#!/usr/bin/env python3
"""A client of the Open Inference Protocol v2 REST API, written from its specification
(https://github.com/kserve/open-inference-protocol, "Inference REST API" and Triton's "binary tensor data" extension),
knowing nothing of Arc: readiness, model metadata, then one infer with JSON tensors and one with binary tensors.

Usage: oip_client.py <base url> <model name> <tensor.json>   (tensor.json: {"shape": [...], "data": [...floats...]})
Prints 'json <class> <label>' and 'binary <class>'; exits non-zero on any deviation from the protocol.
"""
import json
import struct
import sys

import requests


def main() -> int:
    base, model, tensor_file = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    with open(tensor_file) as f:
        tensor = json.load(f)
    session = requests.Session()

    ready = session.get(f"{base}/v2/health/ready")
    if ready.status_code != 200:
        print(f"server not ready: {ready.status_code} {ready.text}", file=sys.stderr)
        return 1
    model_ready = session.get(f"{base}/v2/models/{model}/ready")
    if model_ready.status_code != 200:
        print(f"model not ready: {model_ready.status_code}", file=sys.stderr)
        return 1
    metadata = session.get(f"{base}/v2/models/{model}").json()
    if metadata["name"] != model or not metadata["inputs"] or not metadata["outputs"]:
        print(f"bad metadata: {metadata}", file=sys.stderr)
        return 1
    first_input = metadata["inputs"][0]
    if first_input["datatype"] != "FP32":
        print(f"expected an FP32 input, metadata says {first_input}", file=sys.stderr)
        return 1

    # JSON tensors: the data as a flat row-major list.
    request = {
        "id": "python-client-1",
        "inputs": [{"name": first_input["name"], "shape": tensor["shape"], "datatype": "FP32", "data": tensor["data"]}],
    }
    answer = session.post(f"{base}/v2/models/{model}/infer", json=request)
    answer.raise_for_status()
    body = answer.json()
    if body["model_name"] != model or body.get("id") != "python-client-1":
        print(f"bad infer response: {body}", file=sys.stderr)
        return 1
    outputs = {o["name"]: o for o in body["outputs"]}
    klass = outputs["class"]
    if klass["datatype"] != "INT64" or klass["shape"] != [tensor["shape"][0]]:
        print(f"bad class output: {klass}", file=sys.stderr)
        return 1
    print("json", klass["data"][0], outputs["label"]["data"][0])

    # Binary tensor data extension: the JSON header, then the raw little-endian FP32 values; ask for the class as binary too.
    raw = struct.pack(f"<{len(tensor['data'])}f", *tensor["data"])
    header = json.dumps({
        "inputs": [{"name": first_input["name"], "shape": tensor["shape"], "datatype": "FP32",
                    "parameters": {"binary_data_size": len(raw)}}],
        "outputs": [{"name": "class", "parameters": {"binary_data": True}}],
    }).encode("utf-8")
    answer = session.post(f"{base}/v2/models/{model}/infer", data=header + raw, headers={
        "Content-Type": "application/octet-stream",
        "Inference-Header-Content-Length": str(len(header)),
    })
    answer.raise_for_status()
    json_length = int(answer.headers["Inference-Header-Content-Length"])
    head = json.loads(answer.content[:json_length])
    output = head["outputs"][0]
    size = output["parameters"]["binary_data_size"]
    if output["name"] != "class" or size != 8 * tensor["shape"][0]:
        print(f"bad binary output header: {head}", file=sys.stderr)
        return 1
    (binary_class,) = struct.unpack("<q", answer.content[json_length:json_length + 8])
    print("binary", binary_class)
    return 0


if __name__ == "__main__":
    sys.exit(main())
