"""Read a worker's contract from Describe and send it a batch that fits and one that does not, from Python.

Usage: ARC_WORKER_TOKEN=<token> python3 arc_contract_client.py HOST:PORT KIND
  KIND is image (a 1x4x4 float32 image model), table (13 float32 columns f0..f12) or text (at most 8 characters).
  Prints one JSON object: the Describe reply (with its "contract"), the fitting Predict's reply tag and count, and
  the status code, details and Arc error trailers of the misfit. Needs only grpc, msgpack and the standard library.
"""
import json
import os
import struct
import sys

import grpc
import msgpack


def identity(data):
    return data


def image(n, c, h, w):
    count = n * c * h * w
    data = struct.pack("<%df" % count, *([0.25] * count))
    return {"arc": "image", "v": 1, "dtype": "float32", "shape": [n, c, h, w], "data": data}


def table(n, names):
    columns = [{"name": name, "dtype": "float32", "shape": [n], "data": struct.pack("<%df" % n, *([1.0] * n))} for name in names]
    return {"arc": "table", "v": 1, "rows": n, "columns": columns}


def text(values):
    return {"arc": "text", "v": 1, "texts": values}


PAYLOADS = {
    "image": (image(2, 1, 4, 4), image(2, 3, 8, 8)),
    "table": (table(2, ["f%d" % i for i in range(13)]), table(1, ["x"])),
    "text": (text(["owl", "cat"]), text(["ok", "hippopotamus"])),
}


def trailer(metadata, key):
    for k, v in metadata or ():
        if k == key:
            return v.decode("utf-8") if isinstance(v, bytes) else v
    return None


def main():
    address, kind = sys.argv[1], sys.argv[2]
    auth = (("authorization", "Bearer " + os.environ["ARC_WORKER_TOKEN"]),)
    fits, misfit = PAYLOADS[kind]
    with grpc.insecure_channel(address, options=[("grpc.enable_http_proxy", 0)]) as channel:
        describe = channel.unary_unary("/arc.Model/Describe", request_serializer=identity, response_deserializer=identity)
        predict = channel.unary_unary("/arc.Model/Predict", request_serializer=identity, response_deserializer=identity)
        description = msgpack.unpackb(describe(msgpack.packb(None), timeout=30, metadata=auth), raw=False)
        reply = msgpack.unpackb(predict(msgpack.packb(fits, use_bin_type=True), timeout=30, metadata=auth), raw=False)
        try:
            predict(msgpack.packb(misfit, use_bin_type=True), timeout=30, metadata=auth)
            refused = {"code": "OK"}
        except grpc.RpcError as error:
            trailers = error.trailing_metadata()
            refused = {
                "code": error.code().name,
                "details": error.details(),
                "type": trailer(trailers, "arc-exception-type-bin"),
                "message": trailer(trailers, "arc-exception-message-bin"),
                "param": trailer(trailers, "arc-exception-param-bin"),
            }
    json.dump({
        "describe": description,
        "fits": {"arc": reply.get("arc"), "count": reply["shape"][0]},
        "misfit": refused,
    }, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
