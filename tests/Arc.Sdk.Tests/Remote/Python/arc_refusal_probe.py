"""Time how soon an Arc worker refuses calls while it is full, as a caller of its own sees it.

Usage: ARC_WORKER_TOKEN=<token> python3 arc_refusal_probe.py HOST:PORT REQUEST_FILE COUNT INTERVAL_MS DEADLINE_S
  Starts COUNT callers, one every INTERVAL_MS milliseconds. Each opens a connection of its own, waits until it is up,
  then sends REQUEST_FILE's bytes (an encoded arc.Model/Fit request, without gRPC's 5-byte frame) as one unary call
  with a deadline of DEADLINE_S seconds, and times the call alone. Prints a JSON array, one object per caller:
  {"code": "<grpc status name>", "detail": "...", "seconds": <call time>}.
"""
import json
import os
import sys
import threading
import time

import grpc


def identity(data):
    return data


def probe(target, token, request, deadline, results, index):
    # A connection of its own: the local subchannel pool keeps channels from sharing one.
    with grpc.insecure_channel(target, options=[("grpc.use_local_subchannel_pool", 1)]) as channel:
        grpc.channel_ready_future(channel).result(timeout=deadline)
        fit = channel.unary_unary("/arc.Model/Fit", request_serializer=identity, response_deserializer=identity)
        started = time.monotonic()
        try:
            fit(request, timeout=deadline, metadata=[("authorization", "Bearer " + token)])
            code, detail = "OK", ""
        except grpc.RpcError as error:
            code, detail = error.code().name, error.details() or ""
        results[index] = {"code": code, "detail": detail, "seconds": time.monotonic() - started}


def main():
    target, request_file = sys.argv[1], sys.argv[2]
    count, interval, deadline = int(sys.argv[3]), int(sys.argv[4]) / 1000.0, float(sys.argv[5])
    token = os.environ["ARC_WORKER_TOKEN"]
    with open(request_file, "rb") as source:
        request = source.read()
    results = [None] * count
    threads = []
    for index in range(count):
        thread = threading.Thread(target=probe, args=(target, token, request, deadline, results, index))
        thread.start()
        threads.append(thread)
        time.sleep(interval)
    for thread in threads:
        thread.join()
    missing = [i for i, r in enumerate(results) if r is None]
    if missing:
        sys.exit("callers %s ended without a result" % missing)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
