"""Call [Pod] methods on an Arc worker (arc.Pod) from Python with nothing but grpc, msgpack and the standard library.

Usage: python3 arc_pod_client.py HOST:PORT
  Asks the worker to Describe its pods, invokes "test.scale" with {"values": [1.5, -2.0, 4.0], "factor": 3.0} and with
  "values" only (factor takes its default), then records how the worker answers an unknown pod, a mistyped argument
  and a pod that throws. Prints one JSON object on stdout.
"""
import json
import os
import sys

import grpc
import msgpack


def identity(data):
    return data


def failure(call):
    try:
        call()
        return {"code": "OK"}
    except grpc.RpcError as error:
        trailers = {k: v for k, v in (error.trailing_metadata() or ())}
        remote_type = trailers.get("arc-exception-type-bin")
        remote_message = trailers.get("arc-exception-message-bin")
        return {
            "code": error.code().name,
            "details": error.details(),
            "remote_type": remote_type.decode("utf-8") if remote_type else None,
            "remote_message": remote_message.decode("utf-8") if remote_message else None,
        }


def main():
    address = sys.argv[1]
    auth = (("authorization", "Bearer " + os.environ["ARC_WORKER_TOKEN"]),)
    with grpc.insecure_channel(address, options=[("grpc.enable_http_proxy", 0)]) as channel:
        describe = channel.unary_unary("/arc.Pod/Describe", request_serializer=identity, response_deserializer=identity)
        invoke_raw = channel.unary_unary("/arc.Pod/Invoke", request_serializer=identity, response_deserializer=identity)

        def invoke(pod, arguments):
            reply = msgpack.unpackb(invoke_raw(msgpack.packb({"pod": pod, "arguments": arguments}), timeout=30, metadata=auth), raw=False)
            return reply["result"]

        catalog = msgpack.unpackb(describe(msgpack.packb(None), timeout=30, metadata=auth), raw=False)
        result = {
            "anonymous": failure(lambda: describe(msgpack.packb(None), timeout=30))["code"],
            "pods": [pod["name"] for pod in catalog["pods"]],
            "scale_parameters": next(p["parameters"] for p in catalog["pods"] if p["name"] == "test.scale"),
            "scaled": invoke("test.scale", {"values": [1.5, -2.0, 4.0], "factor": 3.0}),
            "scaled_default": invoke("test.scale", {"values": [1.5, -2.0, 4.0]}),
            "unknown": failure(lambda: invoke("no.such.pod", {})),
            "mistyped": failure(lambda: invoke("test.scale", {"values": "not numbers"})),
            "thrown": failure(lambda: invoke("test.fail", {"message": "from python"})),
        }
    json.dump(result, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
