"""A Python client of Arc's tracking service (arc.tracking.v1.TrackingService, protos/arc/tracking/v1/tracking.proto).

Needs only Debian's python3-grpcio and python3-protobuf: no generated _pb2 modules. The message classes are built at
run time from a FileDescriptorSet of tracking.proto, and every method of the service becomes a method of the client
named as in the .proto (CreateExperiment, LogMetrics, WatchEvents, ...). docs/tracking.md, "Python", says how to make
the descriptor set (protoc --descriptor_set_out, or the one Arc's build embeds).

    client = TrackingClient("127.0.0.1:7740", "arc-tracking-v1.protoset")
    experiment = client.CreateExperiment(client.message("CreateExperimentRequest", namespace="vision", name="run-1", owner="me"))
    client.LogMetrics(client.message("LogMetricsRequest", experiment_id=experiment.id, idempotency_key="b1",
                                     points=[client.message("MetricPointMessage", key="loss", step=1, wall_time_unix_micros=0, value=0.5)]))

Refusals arrive as grpc.RpcError with the status the .proto names (NOT_FOUND, ALREADY_EXISTS, INVALID_ARGUMENT) and the
store's message as details().
"""

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

SERVICE = "arc.tracking.v1.TrackingService"
PACKAGE = "arc.tracking.v1"


class TrackingClient:
    """Every method of TrackingService over one HTTP/2 channel; unary methods return the reply, streaming ones iterate."""

    def __init__(self, address, descriptor_set_path, max_message_bytes=64 * 1024 * 1024):
        with open(descriptor_set_path, "rb") as f:
            files = descriptor_pb2.FileDescriptorSet.FromString(f.read()).file
        pool = descriptor_pool.DescriptorPool()
        for file in files:
            pool.Add(file)
        # GetMessages builds a class for every message of the files, by full name (arc.tracking.v1.ExperimentMessage).
        self._classes = message_factory.GetMessages(files)
        service = pool.FindServiceByName(SERVICE)
        # Loopback only, and never through a proxy the environment names.
        self._channel = grpc.insecure_channel(address, options=[
            ("grpc.enable_http_proxy", 0),
            ("grpc.max_send_message_length", max_message_bytes),
            ("grpc.max_receive_message_length", max_message_bytes),
        ])
        for method in service.methods:
            setattr(self, method.name, self._bind(method))

    def message(self, message_name, /, **fields):
        """A new message of the package by its plain name (CreateExperimentRequest), with fields set from keywords."""
        return self._classes[f"{PACKAGE}.{message_name}"](**fields)

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _bind(self, method):
        path = f"/{SERVICE}/{method.name}"
        reply_class = self._classes[method.output_type.full_name]
        serialize = lambda request: request.SerializeToString()
        parse = reply_class.FromString
        streams_in = method.client_streaming
        streams_out = method.server_streaming
        if streams_in and streams_out:
            return self._channel.stream_stream(path, request_serializer=serialize, response_deserializer=parse)
        if streams_in:
            return self._channel.stream_unary(path, request_serializer=serialize, response_deserializer=parse)
        if streams_out:
            return self._channel.unary_stream(path, request_serializer=serialize, response_deserializer=parse)
        return self._channel.unary_unary(path, request_serializer=serialize, response_deserializer=parse)
