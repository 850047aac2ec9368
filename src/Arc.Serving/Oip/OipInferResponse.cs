using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Arc.Types;

namespace Arc.Serving;

/// <summary>
/// Writes an Open Inference Protocol v2 infer response: JSON tensors, and with the binary tensor data extension the
/// raw bytes of the outputs asked for as binary after the JSON (<c>Inference-Header-Content-Length</c> is the JSON's
/// length).
/// </summary>
internal static class OipInferResponse
{
    /// <summary>The body and, when any output is binary, the JSON's length.</summary>
    public static (byte[] Body, int? JsonLength) Write(string modelName, string modelVersion, OipInferRequest request, IReadOnlyList<OipTensor> outputs)
    {
        var chosen = Choose(request, outputs);
        var binary = new ArrayBufferWriter<byte>();
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name", modelName);
            writer.WriteString("model_version", modelVersion);
            if (request.Id is { } id) writer.WriteString("id", id);
            writer.WriteStartArray("outputs");
            foreach (var (tensor, asBinary) in chosen)
            {
                writer.WriteStartObject();
                writer.WriteString("name", tensor.Name);
                writer.WriteString("datatype", tensor.Datatype);
                writer.WriteStartArray("shape");
                foreach (var d in tensor.Shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                if (asBinary)
                {
                    int before = binary.WrittenCount;
                    WriteBinary(binary, tensor);
                    writer.WriteStartObject("parameters");
                    writer.WriteNumber("binary_data_size", binary.WrittenCount - before);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WritePropertyName("data");
                    WriteJsonData(writer, tensor);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        if (binary.WrittenCount == 0) return (json.WrittenSpan.ToArray(), null);
        var body = new byte[json.WrittenCount + binary.WrittenCount];
        json.WrittenSpan.CopyTo(body);
        binary.WrittenSpan.CopyTo(body.AsSpan(json.WrittenCount));
        return (body, json.WrittenCount);
    }

    private static List<(OipTensor, bool)> Choose(OipInferRequest request, IReadOnlyList<OipTensor> outputs)
    {
        if (request.Outputs is null) return outputs.Select(t => (t, request.BinaryOutputs)).ToList();
        var chosen = new List<(OipTensor, bool)>();
        for (int i = 0; i < request.Outputs.Count; i++)
        {
            var (name, asBinary) = request.Outputs[i];
            var tensor = outputs.FirstOrDefault(t => t.Name == name)
                ?? throw new OipRequestException($"outputs[{i}].name", $"is '{name}'; this model's outputs are {string.Join(", ", outputs.Select(t => t.Name))}");
            chosen.Add((tensor, asBinary || request.BinaryOutputs));
        }
        return chosen;
    }

    private static void WriteJsonData(Utf8JsonWriter writer, OipTensor tensor)
    {
        writer.WriteStartArray();
        if (tensor.Strings is { } strings)
            foreach (var s in strings) writer.WriteStringValue(s);
        else
        {
            var array = tensor.Numbers!;
            switch (array.DType)
            {
                case ArcDType.Float32: foreach (var v in array.AsSpan<float>()) writer.WriteNumberValue(v); break;
                case ArcDType.Float64: foreach (var v in array.AsSpan<double>()) writer.WriteNumberValue(v); break;
                case ArcDType.Int32: foreach (var v in array.AsSpan<int>()) writer.WriteNumberValue(v); break;
                case ArcDType.Int64: foreach (var v in array.AsSpan<long>()) writer.WriteNumberValue(v); break;
                case ArcDType.UInt8: foreach (var v in array.AsSpan<byte>()) writer.WriteNumberValue(v); break;
                default: foreach (var v in array.AsSpan<bool>()) writer.WriteBooleanValue(v); break;
            }
        }
        writer.WriteEndArray();
    }

    private static void WriteBinary(ArrayBufferWriter<byte> binary, OipTensor tensor)
    {
        if (tensor.Numbers is { } array)
        {
            binary.Write(array.Bytes);
            return;
        }
        foreach (var s in tensor.Strings!)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            BinaryPrimitives.WriteInt32LittleEndian(binary.GetSpan(4), bytes.Length);
            binary.Advance(4);
            binary.Write(bytes);
        }
    }
}
