using System.Text.Json;
using Arc.Datasets;

namespace Arc.Models.Tests;

/// <summary>A hand-written processor whose fitted state is one number (a scale), enough to tell two fits apart.</summary>
internal sealed class ScaleProcessor(double scale, string typeName = "Tests.ScaleProcessor") : IDatasetProcessor
{
    public string TypeName => typeName;

    public void WriteParameters(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteEndObject();
    }

    public async ValueTask WriteStateAsync(Stream destination, CancellationToken cancellationToken)
        => await destination.WriteAsync(BitConverter.GetBytes(scale), cancellationToken);
}
