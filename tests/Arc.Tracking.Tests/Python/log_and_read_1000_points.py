"""Run by PythonClientTests against a real tracking server: creates an experiment, logs 1,000 points in batches of 100
(NaN and +/-infinity among them), retries one batch, reads the series back and checks it, and prints what it saw as one
JSON object on standard output for the C# test to check against the store itself.

    python3 log_and_read_1000_points.py <host:port> <descriptor set> <folder of arc_tracking_client.py>
"""

import json
import math
import struct
import sys

address, descriptor_set, client_folder = sys.argv[1:4]
sys.path.insert(0, client_folder)
import grpc  # noqa: E402
from arc_tracking_client import TrackingClient  # noqa: E402

WALL_START = 1_700_000_000_000_000  # microseconds since the Unix epoch


def value_of(step):
    # Three special values, and otherwise a curve whose doubles use all 52 bits of the mantissa.
    return {500: math.nan, 501: math.inf, 502: -math.inf}.get(step, math.sin(step / 7.0) * 1e-3 + step)


def bits(value):
    return struct.unpack("<q", struct.pack("<d", value))[0]


def exact(value):
    # Any NaN is the NaN that was logged: stores keep NaN, not its payload bits.
    return "nan" if math.isnan(value) else bits(value)


with TrackingClient(address, descriptor_set) as client:
    m = client.message
    experiment = client.CreateExperiment(m("CreateExperimentRequest",
        namespace="python", name="log-1000", owner="python@example.com", framework="none",
        hyperparameters={"lr": m("HyperparameterMessage", double_value=1e-3), "layers": m("HyperparameterMessage", long_value=3)}))
    assert experiment.status == 1, experiment  # RUNNING

    stored = []
    for batch in range(10):
        points = [m("MetricPointMessage", key="train/loss", step=step, wall_time_unix_micros=WALL_START + step, value=value_of(step))
                  for step in range(batch * 100, batch * 100 + 100)]
        request = m("LogMetricsRequest", experiment_id=experiment.id, idempotency_key=f"py-batch-{batch}", points=points)
        stored.append(client.LogMetrics(request).already_stored)
        if batch == 0:
            retried = client.LogMetrics(request).already_stored  # a retry after a lost reply adds nothing

    points = client.ReadMetric(m("ReadMetricRequest", experiment_id=experiment.id, key="train/loss")).points
    assert [p.step for p in points] == list(range(1000)), "steps"
    assert [exact(p.value) for p in points] == [exact(value_of(s)) for s in range(1000)], "values, bit for bit"
    assert [p.wall_time_unix_micros for p in points] == [WALL_START + s for s in range(1000)], "wall times"
    window = client.ReadMetric(m("ReadMetricRequest", experiment_id=experiment.id, key="train/loss", from_step=10, to_step=19)).points
    latest = client.ReadLatestMetrics(m("ReadLatestMetricsRequest", experiment_id=experiment.id)).points

    try:
        client.CreateExperiment(m("CreateExperimentRequest", namespace="python", name="log-1000", owner="python@example.com"))
        taken = "OK"
    except grpc.RpcError as e:
        taken = e.code().name

    try:
        client.CreateExperiment(m("CreateExperimentRequest", namespace="Not A Label", name="x", owner="python@example.com"))
        invalid = "OK"
    except grpc.RpcError as e:
        invalid = e.code().name + ": " + e.details()

    print(json.dumps({
        "experiment_id": experiment.id,
        "already_stored": stored,
        "retried_already_stored": retried,
        "points_read": len(points),
        "value_bits": [str(bits(p.value)) for p in points],
        "window_steps": [p.step for p in window],
        "latest": [[p.key, p.step] for p in latest],
        "duplicate_name": taken,
        "invalid_namespace": invalid,
    }))
