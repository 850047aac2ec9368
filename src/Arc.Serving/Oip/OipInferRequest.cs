using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Arc.Types;

namespace Arc.Serving;

/// <summary>
/// An Open Inference Protocol v2 infer request read from its JSON and, with the binary tensor data extension, the bytes
/// after it (<c>Inference-Header-Content-Length</c> says where the JSON ends; each input with
/// <c>parameters.binary_data_size</c> takes its bytes from there, in order). Every refusal names the field.
/// </summary>
internal sealed class OipInferRequest
{
    public string? Id { get; private init; }

    public required List<OipTensor> Inputs { get; init; }

    /// <summary>The outputs asked for by name (null: all), each with whether it wants binary data.</summary>
    public List<(string Name, bool Binary)>? Outputs { get; private init; }

    /// <summary>Whether every output not listed in <see cref="Outputs"/> comes back as binary data (<c>parameters.binary_data_output</c>).</summary>
    public bool BinaryOutputs { get; private init; }

    public static OipInferRequest Read(ReadOnlyMemory<byte> body, int? jsonLength)
    {
        if (jsonLength is { } length && (length < 0 || length > body.Length))
            throw new OipRequestException("Inference-Header-Content-Length", $"is {length}, but the body has {body.Length} bytes");
        var json = jsonLength is { } n ? body[..n] : body;
        var binary = jsonLength is { } m ? body[m..] : ReadOnlyMemory<byte>.Empty;
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new OipRequestException("body", $"is not valid JSON ({e.Message})"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new OipRequestException("body", "is not a JSON object");
            string? id = root.TryGetProperty("id", out var idElement)
                ? idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : throw new OipRequestException("id", "is not a string")
                : null;
            if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
                throw new OipRequestException("inputs", "is missing or not an array");
            if (inputs.GetArrayLength() == 0) throw new OipRequestException("inputs", "is empty");
            int offset = 0;
            var tensors = new List<OipTensor>();
            int index = 0;
            foreach (var input in inputs.EnumerateArray())
                tensors.Add(ReadInput(input, $"inputs[{index++}]", binary.Span, ref offset));
            if (offset != binary.Length)
                throw new OipRequestException("binary data", $"{binary.Length - offset} bytes after the JSON belong to no input (binary_data_size)");
            return new OipInferRequest
            {
                Id = id,
                Inputs = tensors,
                Outputs = ReadOutputs(root),
                BinaryOutputs = Parameter(root, "binary_data_output", "parameters") is { ValueKind: JsonValueKind.True },
            };
        }
    }

    private static List<(string, bool)>? ReadOutputs(JsonElement root)
    {
        if (!root.TryGetProperty("outputs", out var outputs)) return null;
        if (outputs.ValueKind != JsonValueKind.Array) throw new OipRequestException("outputs", "is not an array");
        var list = new List<(string, bool)>();
        int index = 0;
        foreach (var output in outputs.EnumerateArray())
        {
            string field = $"outputs[{index++}]";
            if (output.ValueKind != JsonValueKind.Object || !output.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                throw new OipRequestException(field + ".name", "is missing or not a string");
            list.Add((name.GetString()!, Parameter(output, "binary_data", field + ".parameters") is { ValueKind: JsonValueKind.True }));
        }
        return list;
    }

    private static JsonElement? Parameter(JsonElement owner, string name, string field)
    {
        if (!owner.TryGetProperty("parameters", out var parameters)) return null;
        if (parameters.ValueKind != JsonValueKind.Object) throw new OipRequestException(field, "is not an object");
        return parameters.TryGetProperty(name, out var value) ? value : null;
    }

    private static OipTensor ReadInput(JsonElement input, string field, ReadOnlySpan<byte> binary, ref int offset)
    {
        if (input.ValueKind != JsonValueKind.Object) throw new OipRequestException(field, "is not an object");
        string name = input.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String
            ? nameElement.GetString()! : throw new OipRequestException(field + ".name", "is missing or not a string");
        string datatype = input.TryGetProperty("datatype", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
            ? typeElement.GetString()! : throw new OipRequestException(field + ".datatype", "is missing or not a string");
        if (!input.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new OipRequestException(field + ".shape", "is missing or not an array");
        var dimensions = new List<long>();
        foreach (var d in shapeElement.EnumerateArray())
            dimensions.Add(d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out long v) && v >= 0 && v <= int.MaxValue
                ? v : throw new OipRequestException(field + ".shape", $"has '{d}', not a dimension (a whole number ≥ 0)"));
        long[] shape = [.. dimensions];
        long elements;
        try { elements = OipTensor.ElementsOf(shape); }
        catch (OverflowException) { throw new OipRequestException(field + ".shape", "has more elements than can be held"); }
        var element = OipDatatypes.ElementOf(datatype);
        if (element is null && datatype != OipDatatypes.Bytes)
            throw new OipRequestException(field + ".datatype", $"is '{datatype}'; this server takes {OipDatatypes.Supported}");

        if (Parameter(input, "binary_data_size", field + ".parameters") is { } size)
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt32(out int byteCount) || byteCount < 0)
                throw new OipRequestException(field + ".parameters.binary_data_size", "is not a byte count");
            if (input.TryGetProperty("data", out _))
                throw new OipRequestException(field + ".data", "is given with binary_data_size; send one or the other");
            if (byteCount > binary.Length - offset)
                throw new OipRequestException(field + ".parameters.binary_data_size", $"is {byteCount}, but only {binary.Length - offset} bytes of binary data are left");
            var bytes = binary.Slice(offset, byteCount);
            offset += byteCount;
            return element is { } dtype ? FromBinary(name, field, dtype, shape, elements, bytes) : StringsFromBinary(name, field, shape, elements, bytes);
        }
        if (!input.TryGetProperty("data", out var data))
            throw new OipRequestException(field + ".data", "is missing (or give parameters.binary_data_size)");
        int count = OipJsonData.CountElements(data, field + ".data");
        if (count != elements)
            throw new OipRequestException(field + ".data", $"has {count} elements; shape [{string.Join(", ", shape)}] needs {elements}");
        return element is { } numeric
            ? OipTensor.FromArray(name, OipJsonData.Numbers(data, numeric, Array.ConvertAll(shape, d => (int)d), count, field))
            : OipTensor.FromStrings(name, OipJsonData.Strings(data, count, field), shape);
    }

    private static OipTensor FromBinary(string name, string field, ArcDType dtype, long[] shape, long elements, ReadOnlySpan<byte> bytes)
    {
        long expected = elements * ArcDTypes.SizeOf(dtype);
        if (bytes.Length != expected)
            throw new OipRequestException(field + ".parameters.binary_data_size", $"is {bytes.Length}; shape [{string.Join(", ", shape)}] of {OipDatatypes.Of(dtype)} needs {expected} bytes");
        // Little-endian on the wire, as Arc's own buffers are (ArcArray is little-endian on every platform .NET runs on here).
        return OipTensor.FromArray(name, ArcArray.FromBytes(dtype, shape.Select(d => (int)d).ToArray(), bytes.ToArray()));
    }

    private static OipTensor StringsFromBinary(string name, string field, long[] shape, long elements, ReadOnlySpan<byte> bytes)
    {
        // BYTES in binary: each element is a 4-byte little-endian length and that many bytes.
        var strings = new string[elements];
        var strict = new UTF8Encoding(false, true);
        int at = 0;
        for (long i = 0; i < elements; i++)
        {
            if (bytes.Length - at < 4) throw new OipRequestException(field, $"binary BYTES data ends inside element {i}'s length");
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
            at += 4;
            if (length < 0 || length > bytes.Length - at) throw new OipRequestException(field, $"binary BYTES element {i} claims {length} bytes; {bytes.Length - at} are left");
            try { strings[i] = strict.GetString(bytes.Slice(at, length)); }
            catch (DecoderFallbackException) { throw new OipRequestException(field, $"binary BYTES element {i} is not UTF-8"); }
            at += length;
        }
        if (at != bytes.Length) throw new OipRequestException(field, $"binary BYTES data has {bytes.Length - at} bytes after its {elements} elements");
        return OipTensor.FromStrings(name, strings, shape);
    }
}
