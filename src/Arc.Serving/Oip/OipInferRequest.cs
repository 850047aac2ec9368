using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        try
        {
            var cursor = new JsonCursor(json.Span);
            return ReadRequest(ref cursor, binary.Span);
        }
        catch (JsonException e) { throw new OipRequestException("body", $"is not valid JSON ({e.Message})"); }
    }

    // One pass over the JSON with a reader: the tensors' data are read straight into their arrays as they come
    // (OipNumberArray), the small parts (shape, parameters, outputs) as elements. A field's refusal can come before
    // the reader has seen the rest of the body, so a body with a bad field and broken JSON later may be refused for
    // the field.
    private static OipInferRequest ReadRequest(ref JsonCursor cursor, ReadOnlySpan<byte> binary)
    {
        ref var reader = ref cursor.Reader;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new OipRequestException("body", "is not a JSON object");
        string? id = null;
        List<OipTensor>? tensors = null;
        JsonElement? outputs = null, parameters = null;
        int offset = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new OipRequestException("id", "is not a string");
            }
            else if (reader.ValueTextEquals("inputs"u8))
            {
                if (tensors is not null) throw new OipRequestException("inputs", "appears twice");
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray) throw new OipRequestException("inputs", "is missing or not an array");
                tensors = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    tensors.Add(ReadInput(ref cursor, $"inputs[{tensors.Count}]", binary, ref offset));
                if (tensors.Count == 0) throw new OipRequestException("inputs", "is empty");
            }
            else if (reader.ValueTextEquals("outputs"u8)) outputs = NextElement(ref reader);
            else if (reader.ValueTextEquals("parameters"u8)) parameters = NextElement(ref reader);
            else reader.Skip();
        }
        reader.Read(); // nothing but white space may follow the object: the reader refuses anything else
        if (tensors is null) throw new OipRequestException("inputs", "is missing or not an array");
        if (offset != binary.Length)
            throw new OipRequestException("binary data", $"{binary.Length - offset} bytes after the JSON belong to no input (binary_data_size)");
        return new OipInferRequest
        {
            Id = id,
            Inputs = tensors,
            Outputs = ReadOutputs(outputs),
            BinaryOutputs = Parameter(parameters, "binary_data_output", "parameters") is { ValueKind: JsonValueKind.True },
        };
    }

    /// <summary>The value of the property whose name the reader stands on, as an element (the small parts of a request).</summary>
    private static JsonElement NextElement(ref Utf8JsonReader reader)
    {
        reader.Read();
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>The string value of the property whose name the reader stands on; refused as <paramref name="field"/> when it is not one.</summary>
    private static string NextString(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new OipRequestException(field, "is missing or not a string");
    }

    private static List<(string, bool)>? ReadOutputs(JsonElement? outputs)
    {
        if (outputs is not { } array) return null;
        if (array.ValueKind != JsonValueKind.Array) throw new OipRequestException("outputs", "is not an array");
        var list = new List<(string, bool)>();
        int index = 0;
        foreach (var output in array.EnumerateArray())
        {
            string field = $"outputs[{index++}]";
            if (output.ValueKind != JsonValueKind.Object || !output.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                throw new OipRequestException(field + ".name", "is missing or not a string");
            list.Add((name.GetString()!, Parameter(output.TryGetProperty("parameters", out var p) ? p : null, "binary_data", field + ".parameters") is { ValueKind: JsonValueKind.True }));
        }
        return list;
    }

    /// <summary>The parameter <paramref name="name"/> of a <c>parameters</c> object (<paramref name="field"/>), if there is one.</summary>
    private static JsonElement? Parameter(JsonElement? parameters, string name, string field)
    {
        if (parameters is not { } owner) return null;
        if (owner.ValueKind != JsonValueKind.Object) throw new OipRequestException(field, "is not an object");
        return owner.TryGetProperty(name, out var value) ? value : null;
    }

    private static OipTensor ReadInput(ref JsonCursor cursor, string field, ReadOnlySpan<byte> binary, ref int offset)
    {
        ref var reader = ref cursor.Reader;
        if (reader.TokenType != JsonTokenType.StartObject) throw new OipRequestException(field, "is not an object");
        string? name = null, datatype = null;
        JsonElement? shapeElement = null, parameters = null, data = null;
        long[]? parsedShape = null; // the shape's numbers, once the fast path has read them
        ArcArray? readData = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8)) name = NextString(ref reader, field + ".name");
            // A second datatype or shape is refused: data read by the first one could not be read again by the second.
            else if (reader.ValueTextEquals("datatype"u8))
                datatype = datatype is null ? NextString(ref reader, field + ".datatype") : throw new OipRequestException(field + ".datatype", "appears twice");
            else if (reader.ValueTextEquals("shape"u8))
                shapeElement = shapeElement is null ? NextElement(ref reader) : throw new OipRequestException(field + ".shape", "appears twice");
            else if (reader.ValueTextEquals("parameters"u8)) parameters = NextElement(ref reader);
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                // The usual order (datatype and shape before data, as clients write them) lets numbers go straight into
                // their array; anything else is read as an element and checked below.
                readData = null;
                data = null;
                if (reader.TokenType == JsonTokenType.StartArray && datatype is not null && OipDatatypes.ElementOf(datatype) is { } dtype && shapeElement is { } known)
                    readData = TryReadNumbers(ref cursor, dtype, parsedShape ??= Shape(known, field));
                if (readData is null) data = JsonElement.ParseValue(ref reader);
            }
            else reader.Skip();
        }

        if (name is null) throw new OipRequestException(field + ".name", "is missing or not a string");
        if (datatype is null) throw new OipRequestException(field + ".datatype", "is missing or not a string");
        if (shapeElement is not { } shapeValue) throw new OipRequestException(field + ".shape", "is missing or not an array");
        long[] shape = parsedShape ?? Shape(shapeValue, field);
        long elements;
        try { elements = OipTensor.ElementsOf(shape); }
        catch (OverflowException) { throw new OipRequestException(field + ".shape", "has more elements than can be held"); }
        var element = OipDatatypes.ElementOf(datatype);
        if (element is null && datatype != OipDatatypes.Bytes)
            throw new OipRequestException(field + ".datatype", $"is '{datatype}'; this server takes {OipDatatypes.Supported}");

        if (Parameter(parameters, "binary_data_size", field + ".parameters") is { } size)
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt32(out int byteCount) || byteCount < 0)
                throw new OipRequestException(field + ".parameters.binary_data_size", "is not a byte count");
            if (data is not null || readData is not null)
                throw new OipRequestException(field + ".data", "is given with binary_data_size; send one or the other");
            if (byteCount > binary.Length - offset)
                throw new OipRequestException(field + ".parameters.binary_data_size", $"is {byteCount}, but only {binary.Length - offset} bytes of binary data are left");
            var bytes = binary.Slice(offset, byteCount);
            offset += byteCount;
            return element is { } dtype ? FromBinary(name, field, dtype, shape, elements, bytes) : StringsFromBinary(name, field, shape, elements, bytes);
        }
        if (readData is not null) return OipTensor.FromArray(name, readData);
        if (data is not { } dataValue)
            throw new OipRequestException(field + ".data", "is missing (or give parameters.binary_data_size)");
        int count = OipJsonData.CountElements(dataValue, field + ".data");
        if (count != elements)
            throw new OipRequestException(field + ".data", $"has {count} elements; shape [{string.Join(", ", shape)}] needs {elements}");
        return element is { } numeric
            ? OipTensor.FromArray(name, OipJsonData.Numbers(dataValue, numeric, Array.ConvertAll(shape, d => (int)d), count, field))
            : OipTensor.FromStrings(name, OipJsonData.Strings(dataValue, count, field), shape);
    }

    private static long[] Shape(JsonElement shapeElement, string field)
    {
        if (shapeElement.ValueKind != JsonValueKind.Array) throw new OipRequestException(field + ".shape", "is missing or not an array");
        var dimensions = new List<long>();
        foreach (var d in shapeElement.EnumerateArray())
            dimensions.Add(d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out long v) && v >= 0 && v <= int.MaxValue
                ? v : throw new OipRequestException(field + ".shape", $"has '{d}', not a dimension (a whole number ≥ 0)"));
        return [.. dimensions];
    }

    /// <summary>
    /// The numbers of the array the reader stands on, read from its text in one pass (<see cref="OipNumberArray"/>),
    /// with the reader moved to its end; null, with the reader where it was, when the fast path cannot take them all —
    /// the caller then reads the array as an element, which refuses it with the message that names the value.
    /// </summary>
    private static ArcArray? TryReadNumbers(ref JsonCursor cursor, ArcDType dtype, long[] shape)
    {
        long elements;
        try { elements = OipTensor.ElementsOf(shape); }
        catch (OverflowException) { return null; }
        int start = cursor.Position;
        // Each number takes at least two bytes of text with its separator: a shape that claims more than the text can
        // hold is not allocated for; the general path counts the values and refuses the shape.
        if (elements > (cursor.Json.Length - start) / 2 + 1) return null;
        // Nesting a level short of the reader's limit (64 by default): deeper text is left to the reader, which refuses it.
        int maxDepth = 63 - cursor.Reader.CurrentDepth;
        int[] dims = Array.ConvertAll(shape, d => (int)d);
        int count = (int)elements, end;
        ArcArray? array = dtype switch
        {
            ArcDType.Float32 => Read<float, SingleText>(cursor.Json, start, maxDepth, count, dims, out end),
            ArcDType.Float64 => Read<double, DoubleText>(cursor.Json, start, maxDepth, count, dims, out end),
            ArcDType.Int32 => Read<int, Int32Text>(cursor.Json, start, maxDepth, count, dims, out end),
            ArcDType.Int64 => Read<long, Int64Text>(cursor.Json, start, maxDepth, count, dims, out end),
            ArcDType.UInt8 => Read<byte, ByteText>(cursor.Json, start, maxDepth, count, dims, out end),
            _ => NotRead(out end), // BOOL's true and false are read as elements
        };
        if (array is not null) cursor.SkipTo(end);
        return array;

        static ArcArray? Read<T, TText>(ReadOnlySpan<byte> json, int start, int maxDepth, int count, int[] dims, out int end)
            where T : unmanaged
            where TText : INumberText<T>
        {
            // The values go straight into the bytes the array keeps (FromBytes takes them without a copy).
            var bytes = new byte[count * Unsafe.SizeOf<T>()];
            return OipNumberArray.TryRead<T, TText>(json, start, maxDepth, MemoryMarshal.Cast<byte, T>(bytes.AsSpan()), out end)
                ? ArcArray.FromBytes(ArcDTypes.Of<T>(), dims, bytes) : null;
        }

        static ArcArray? NotRead(out int end)
        {
            end = -1;
            return null;
        }
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
