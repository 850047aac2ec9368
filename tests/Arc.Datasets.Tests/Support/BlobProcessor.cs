using System.Text.Json;

namespace Arc.Datasets.Tests.Support;

/// <summary>A hand-written processor for the slot: a mean and a scale as parameters, some bytes as its fitted state.</summary>
internal sealed class BlobProcessor(string typeName, byte[] state) : IDatasetProcessor
{
    public string TypeName => typeName;

    public void WriteParameters(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("mean", 0.5);
        json.WriteNumber("scale", 2);
        json.WriteEndObject();
    }

    public async ValueTask WriteStateAsync(Stream destination, CancellationToken cancellationToken)
        => await destination.WriteAsync(state, cancellationToken);
}
