"""Call an Arc worker's Predict from Python with nothing but grpc, msgpack and the standard library.

Usage: ARC_WORKER_TOKEN=<token> python3 arc_client.py HOST:PORT [N H W]
  Checks that the worker at HOST:PORT (cleartext HTTP/2 on loopback) refuses a call without the token, asks it to
  Describe itself (every call carries "authorization: Bearer <token>"), sends it an N x 1 x H x W float32 ImageData
  batch (default 5 x 1 x 3 x 4) whose pixels follow a fixed formula, decodes the ClassData it answers, then sends one
  malformed image and records the status code the worker refused it with. Prints one JSON object on stdout.

Pixel formula (flat row-major index i over the whole batch, rounded to float32):
  pixel[i] = ((i * 37) % 101) / 100 - 0.5
"""
import json
import os
import struct
import sys

import grpc
import msgpack


def identity(data):
    return data


def image_batch(n, h, w):
    """An ImageData in wire form (docs/wire-format.md, section 4): a map with a float32 tensor part of shape [N,1,H,W]."""
    count = n * 1 * h * w
    pixels = [((i * 37) % 101) / 100 - 0.5 for i in range(count)]
    data = struct.pack("<%df" % count, *pixels)  # little-endian float32, row-major
    return {"arc": "image", "v": 1, "dtype": "float32", "shape": [n, 1, h, w], "data": data}


def decode_classes(reply):
    """A ClassData in wire form -> (indices, class names); checks what a strict reader checks."""
    value = msgpack.unpackb(reply, raw=False)  # rejects trailing bytes
    if value.get("arc") != "class" or value.get("v") != 1:
        raise ValueError("expected a version 1 'class' value, got arc=%r v=%r" % (value.get("arc"), value.get("v")))
    if value["dtype"] != "int64" or len(value["shape"]) != 1:
        raise ValueError("class indices must be int64 of shape [N], got %s %r" % (value["dtype"], value["shape"]))
    n = value["shape"][0]
    if len(value["data"]) != n * 8:
        raise ValueError("shape [%d] of int64 needs %d bytes, data has %d" % (n, n * 8, len(value["data"])))
    indices = list(struct.unpack("<%dq" % n, value["data"]))
    names = value["names"]
    if any(not 0 <= k < len(names) for k in indices):
        raise ValueError("class index out of range 0..%d: %r" % (len(names) - 1, indices))
    return indices, names


def main():
    address = sys.argv[1]
    n, h, w = (int(a) for a in sys.argv[2:5]) if len(sys.argv) >= 5 else (5, 3, 4)
    # Every call carries the worker's token; without it the worker answers UNAUTHENTICATED before decoding anything.
    auth = (("authorization", "Bearer " + os.environ["ARC_WORKER_TOKEN"]),)
    # Arc workers speak h2c on a private network; never route them through an HTTP proxy from the environment.
    with grpc.insecure_channel(address, options=[("grpc.enable_http_proxy", 0)]) as channel:
        # No generated stubs: each method is a path, and the payloads are MessagePack bytes both ways.
        describe = channel.unary_unary("/arc.Model/Describe", request_serializer=identity, response_deserializer=identity)
        predict = channel.unary_unary("/arc.Model/Predict", request_serializer=identity, response_deserializer=identity)

        try:
            describe(msgpack.packb(None), timeout=30)
            anonymous = "OK"
        except grpc.RpcError as error:
            anonymous = error.code().name

        description = msgpack.unpackb(describe(msgpack.packb(None), timeout=30, metadata=auth), raw=False)

        reply = predict(msgpack.packb(image_batch(n, h, w), use_bin_type=True), timeout=30, metadata=auth)
        indices, names = decode_classes(reply)

        # An image whose data is one byte short of what its shape needs: the worker must refuse it, not crash.
        broken = image_batch(n, h, w)
        broken["data"] = broken["data"][:-1]
        try:
            predict(msgpack.packb(broken, use_bin_type=True), timeout=30, metadata=auth)
            refused = {"code": "OK", "details": ""}
        except grpc.RpcError as error:
            refused = {"code": error.code().name, "details": error.details()}

    json.dump({
        "anonymous": anonymous,
        "describe": description,
        "shape": [n, 1, h, w],
        "classes": indices,
        "labels": [names[k] for k in indices],
        "names": names,
        "malformed": refused,
    }, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
