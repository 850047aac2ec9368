namespace Arc.Serving;

/// <summary>An inference request the protocol refuses (HTTP 400); the message names the field, e.g. <c>inputs[0].shape</c>.</summary>
internal sealed class OipRequestException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
}
