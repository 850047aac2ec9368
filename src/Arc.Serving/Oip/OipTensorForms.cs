using Arc.Types;

namespace Arc.Serving;

/// <summary>
/// How Arc's data types look as Open Inference Protocol tensors (docs/serving.md, "Tensors"): an
/// <see cref="ImageData"/> input is one FP32 tensor N×C×H×W (N×H×W is one channel), a <see cref="TextData"/> input one
/// BYTES tensor [N], a <see cref="TableData"/> input one tensor [N] per column named as the column. A
/// <see cref="ClassData"/> output is <c>class</c> (INT64 [N]), <c>label</c> (BYTES [N]) and, when the model gives
/// them, <c>scores</c> (FP32 [N, K]); <see cref="TextData"/> is <c>text</c>, <see cref="ImageData"/> <c>image</c>,
/// <see cref="LabelData"/> <c>labels</c> (N×K) and <see cref="TableData"/> one tensor per column.
/// </summary>
internal static class OipTensorForms
{
    /// <summary>The input tensors' metadata: (name, datatype, shape with -1 for any size).</summary>
    public static IReadOnlyList<(string Name, string Datatype, long[] Shape)> InputMetadata(Type x, ValueContract? contract)
    {
        if (x == typeof(ImageData))
        {
            var image = contract as ImageContract;
            return [("image", "FP32", [-1, image?.Channels ?? -1, image?.Height ?? -1, image?.Width ?? -1])];
        }
        if (x == typeof(TextData)) return [("text", OipDatatypes.Bytes, [-1])];
        if (x == typeof(TableData) && contract is TableContract table)
            return table.Columns.Select(c => (c.Name, ArcDTypes.TryParse(c.DType, out var dtype) ? OipDatatypes.Of(dtype) : OipDatatypes.Bytes, new long[] { -1 })).ToArray();
        return [];
    }

    /// <summary>The output tensors' metadata.</summary>
    public static IReadOnlyList<(string Name, string Datatype, long[] Shape)> OutputMetadata(Type y)
    {
        if (y == typeof(ClassData)) return [("class", "INT64", [-1]), ("label", OipDatatypes.Bytes, [-1])];
        if (y == typeof(TextData)) return [("text", OipDatatypes.Bytes, [-1])];
        if (y == typeof(ImageData)) return [("image", "FP32", [-1, -1, -1, -1])];
        if (y == typeof(LabelData)) return [("labels", "FP32", [-1, -1])];
        return [];
    }

    /// <summary>The model input the tensors make.</summary>
    /// <exception cref="OipRequestException">They do not make one; the message names the field.</exception>
    public static IArcData ToInput(Type x, IReadOnlyList<OipTensor> inputs)
    {
        if (x == typeof(ImageData))
        {
            var tensor = Single(inputs, "image");
            if (tensor.Numbers is not { DType: ArcDType.Float32 } pixels)
                throw new OipRequestException("inputs[0].datatype", $"is {tensor.Datatype}; images are FP32");
            return pixels.Rank switch
            {
                4 => new ImageData(pixels),
                3 => new ImageData(ArcArray.FromBytes(ArcDType.Float32, [pixels.Shape[0], 1, pixels.Shape[1], pixels.Shape[2]], pixels.UnsafeBuffer)),
                _ => throw new OipRequestException("inputs[0].shape", $"is [{string.Join(", ", tensor.Shape)}]; images are [N, C, H, W] or [N, H, W]"),
            };
        }
        if (x == typeof(TextData))
        {
            var tensor = Single(inputs, "text");
            if (tensor.Strings is not { } texts) throw new OipRequestException("inputs[0].datatype", $"is {tensor.Datatype}; texts are BYTES");
            if (!(tensor.Shape.Length == 1 || (tensor.Shape.Length == 2 && tensor.Shape[1] == 1)))
                throw new OipRequestException("inputs[0].shape", $"is [{string.Join(", ", tensor.Shape)}]; texts are [N]");
            return new TextData(texts);
        }
        if (x == typeof(TableData))
        {
            var columns = new List<TableColumn>();
            for (int i = 0; i < inputs.Count; i++)
            {
                var tensor = inputs[i];
                if (!(tensor.Shape.Length == 1 || (tensor.Shape.Length == 2 && tensor.Shape[1] == 1)))
                    throw new OipRequestException($"inputs[{i}].shape", $"is [{string.Join(", ", tensor.Shape)}]; a table column is [N]");
                if (tensor.Shape[0] != inputs[0].Shape[0])
                    throw new OipRequestException($"inputs[{i}].shape", $"has {tensor.Shape[0]} rows; inputs[0] has {inputs[0].Shape[0]}");
                columns.Add(tensor.Strings is { } strings
                    ? TableColumn.FromStrings(tensor.Name, strings)
                    : TableColumn.FromArray(tensor.Name, ArcArray.FromBytes(tensor.Numbers!.DType, [(int)tensor.Shape[0]], tensor.Numbers.UnsafeBuffer)));
            }
            return new TableData((int)inputs[0].Shape[0], columns);
        }
        throw new OipRequestException("inputs", $"this model takes {x.Name}, which has no tensor form; POST it to /invocations instead");
    }

    /// <summary>The output tensors of a prediction.</summary>
    public static IReadOnlyList<OipTensor> FromOutput(IArcData y)
    {
        switch (y)
        {
            case ClassData classes:
                var labels = new string[classes.Count];
                for (int i = 0; i < labels.Length; i++)
                {
                    long index = classes.IndexSpan[i];
                    labels[i] = index >= 0 && index < classes.ClassNames.Count ? classes.ClassNames[(int)index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                var tensors = new List<OipTensor> { OipTensor.FromArray("class", classes.Indices), OipTensor.FromStrings("label", labels) };
                if (classes.Scores is { } scores) tensors.Add(OipTensor.FromArray("scores", scores));
                return tensors;
            case TextData text:
                return [OipTensor.FromStrings("text", text.Texts)];
            case ImageData image:
                return [OipTensor.FromArray("image", image.Pixels)];
            case LabelData multi:
                return [OipTensor.FromArray("labels", multi.Labels)];
            case TableData table:
                return table.Columns.Select(c => c.Strings is { } s ? OipTensor.FromStrings(c.Name, s) : OipTensor.FromArray(c.Name, c.Values!)).ToArray();
            default:
                throw new NotSupportedException($"{y.GetType().Name} has no tensor form; ask /invocations for it");
        }
    }

    private static OipTensor Single(IReadOnlyList<OipTensor> inputs, string expected)
        => inputs.Count == 1 ? inputs[0] : throw new OipRequestException("inputs", $"has {inputs.Count} tensors; this model takes one ('{expected}')");
}
