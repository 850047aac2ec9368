using Google.Protobuf.Collections;

namespace Arc.Tracking;

/// <summary>
/// Experiments between the records and the wire messages, both ways, for the client and the service alike. Reading a
/// message builds the records through their constructors, so every rule they check applies to what arrives.
/// </summary>
internal static class ExperimentWire
{
    public static CreateExperimentRequest ToRequest(ExperimentDraft draft)
    {
        var request = new CreateExperimentRequest
        {
            Namespace = draft.Namespace,
            Name = draft.Name,
            Owner = draft.Owner,
            Framework = draft.Framework,
            CodeVersion = ToMessage(draft.CodeVersion),
        };
        if (draft.StartedAt is { } startedAt) request.StartedAtUnixMicros = WireTime.ToMicros(startedAt);
        AddHyperparameters(request.Hyperparameters, draft.Hyperparameters);
        foreach (var (key, value) in draft.Environment) request.Environment.Add(key, value);
        return request;
    }

    public static ExperimentDraft ToDraft(CreateExperimentRequest request) => new(request.Namespace, request.Name, request.Owner)
    {
        Framework = request.Framework,
        Hyperparameters = ToHyperparameters(request.Hyperparameters, nameof(request.Hyperparameters)),
        Environment = request.Environment,
        CodeVersion = ToCodeVersion(request.CodeVersion),
        StartedAt = request.HasStartedAtUnixMicros ? WireTime.FromMicros(request.StartedAtUnixMicros, "started_at_unix_micros") : null,
    };

    public static ExperimentMessage ToMessage(Experiment experiment)
    {
        var message = new ExperimentMessage
        {
            Id = experiment.Id,
            Namespace = experiment.Namespace,
            Name = experiment.Name,
            Owner = experiment.Owner,
            Framework = experiment.Framework,
            Status = ToMessage(experiment.Status),
            StartedAtUnixMicros = WireTime.ToMicros(experiment.StartedAt),
            CodeVersion = ToMessage(experiment.CodeVersion),
        };
        if (experiment.EndedAt is { } endedAt) message.EndedAtUnixMicros = WireTime.ToMicros(endedAt);
        AddHyperparameters(message.Hyperparameters, experiment.Hyperparameters);
        foreach (var (key, value) in experiment.Environment) message.Environment.Add(key, value);
        return message;
    }

    public static Experiment ToExperiment(ExperimentMessage message) => new(
        TrackingNames.Id(message.Id, "id", "experiment id"),
        message.Namespace,
        message.Name,
        message.Owner,
        message.Framework,
        ToStatus(message.Status, "status"),
        WireTime.FromMicros(message.StartedAtUnixMicros, "started_at_unix_micros"),
        message.HasEndedAtUnixMicros ? WireTime.FromMicros(message.EndedAtUnixMicros, "ended_at_unix_micros") : null,
        ToCodeVersion(message.CodeVersion))
    {
        Hyperparameters = ToHyperparameters(message.Hyperparameters, "hyperparameters"),
        Environment = message.Environment,
    };

    public static ExperimentStatusCode ToMessage(ExperimentStatus status) => status switch
    {
        ExperimentStatus.Running => ExperimentStatusCode.Running,
        ExperimentStatus.Finished => ExperimentStatusCode.Finished,
        ExperimentStatus.Failed => ExperimentStatusCode.Failed,
        ExperimentStatus.Killed => ExperimentStatusCode.Killed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, $"experiment status {(int)status} is not Running, Finished, Failed or Killed"),
    };

    public static ExperimentStatus ToStatus(ExperimentStatusCode code, string field) => code switch
    {
        ExperimentStatusCode.Running => ExperimentStatus.Running,
        ExperimentStatusCode.Finished => ExperimentStatus.Finished,
        ExperimentStatusCode.Failed => ExperimentStatus.Failed,
        ExperimentStatusCode.Killed => ExperimentStatus.Killed,
        _ => throw new ArgumentOutOfRangeException(field, code,
            $"{field} {(int)code} is not an experiment status: send RUNNING (1), FINISHED (2), FAILED (3) or KILLED (4)"),
    };

    private static CodeVersionMessage? ToMessage(CodeVersion? version)
        => version is null ? null : new CodeVersionMessage { Commit = version.Commit, Dirty = version.Dirty };

    private static CodeVersion? ToCodeVersion(CodeVersionMessage? message)
        => message is null ? null : new CodeVersion(message.Commit, message.Dirty);

    private static void AddHyperparameters(MapField<string, HyperparameterMessage> into, IReadOnlyDictionary<string, HyperparameterValue> values)
    {
        foreach (var (name, value) in values) into.Add(name, ToMessage(value));
    }

    private static HyperparameterMessage ToMessage(HyperparameterValue value) => value.Kind switch
    {
        HyperparameterKind.String => new HyperparameterMessage { StringValue = value.AsString() },
        HyperparameterKind.Long => new HyperparameterMessage { LongValue = value.AsLong() },
        HyperparameterKind.Double => new HyperparameterMessage { DoubleValue = value.AsDouble() },
        HyperparameterKind.Bool => new HyperparameterMessage { BoolValue = value.AsBool() },
        _ => throw new ArgumentException("a hyperparameter has no value (a default HyperparameterValue)", nameof(value)),
    };

    private static Dictionary<string, HyperparameterValue> ToHyperparameters(MapField<string, HyperparameterMessage> messages, string field)
    {
        var values = new Dictionary<string, HyperparameterValue>(messages.Count, StringComparer.Ordinal);
        foreach (var (name, message) in messages)
        {
            values[name] = message.ValueCase switch
            {
                HyperparameterMessage.ValueOneofCase.StringValue => HyperparameterValue.Of(message.StringValue),
                HyperparameterMessage.ValueOneofCase.LongValue => HyperparameterValue.Of(message.LongValue),
                HyperparameterMessage.ValueOneofCase.DoubleValue => HyperparameterValue.Of(message.DoubleValue),
                HyperparameterMessage.ValueOneofCase.BoolValue => HyperparameterValue.Of(message.BoolValue),
                _ => throw new ArgumentException($"hyperparameter '{name}' has no value: set one of string_value, long_value, double_value, bool_value", field),
            };
        }
        return values;
    }
}
