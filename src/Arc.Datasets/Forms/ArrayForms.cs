using System.Text.Json;
using Arc.Types;

namespace Arc.Datasets;

/// <summary><see cref="ImageData"/>: pixels N×C×H×W in any element type.</summary>
internal sealed class ImageForm : ArrayForm<ImageData>
{
    protected override int RowRank => 3;

    protected override ArcArray ArrayOf(ImageData batch) => batch.Pixels;

    protected override ImageData Build(ArcArray array, DataFacts facts) => new(array);
}

/// <summary><see cref="ClassData"/>: int64 class indices [N]; the class names in meta.json (<c>class_names</c>).</summary>
internal sealed class ClassForm : ArrayForm<ClassData>
{
    protected override int RowRank => 0;

    protected override bool Holds(ArcDType dtype) => dtype == ArcDType.Int64;

    protected override ArcArray ArrayOf(ClassData batch)
        => batch.Scores is null ? batch.Indices
            : throw new ArgumentException("its classes carry scores, which are a model's predictions, not targets; a dataset keeps the class indices (new ClassData(y.Indices, y.ClassNames))");

    protected override ClassData Build(ArcArray array, DataFacts facts) => new(array, facts.Names!);

    public override string? Rejects(NpyLayout layout, DataFacts facts)
        => base.Rejects(layout, facts) ?? (facts.Names is null ? "is class data but meta.json names no classes (class_names)" : null);

    public override DataFacts FactsOf(ClassData batch) => new() { Names = batch.ClassNames };

    public override void WriteFacts(Utf8JsonWriter json, DataFacts facts) => Names.Write(json, "class_names", facts);

}

/// <summary><see cref="LabelData"/>: an N×K multi-hot matrix (float32, uint8 or bool); the label names in meta.json (<c>label_names</c>).</summary>
internal sealed class LabelForm : ArrayForm<LabelData>
{
    protected override int RowRank => 1;

    protected override bool Holds(ArcDType dtype) => dtype is ArcDType.Float32 or ArcDType.UInt8 or ArcDType.Bool;

    protected override ArcArray ArrayOf(LabelData batch) => batch.Labels;

    protected override LabelData Build(ArcArray array, DataFacts facts) => new(array, facts.Names!);

    public override string? Rejects(NpyLayout layout, DataFacts facts)
        => base.Rejects(layout, facts)
           ?? (facts.Names is null ? "is label data but meta.json names no labels (label_names)"
               : layout.RowShape[0] != facts.Names.Count ? $"has {layout.RowShape[0]} label columns but meta.json names {facts.Names.Count} labels" : null);

    public override DataFacts FactsOf(LabelData batch) => new() { Names = batch.LabelNames };

    public override void WriteFacts(Utf8JsonWriter json, DataFacts facts) => Names.Write(json, "label_names", facts);

}

/// <summary><see cref="AudioData"/>: float32 samples N×C×T; the sample rate in meta.json (<c>sample_rate</c>).</summary>
internal sealed class AudioForm : ArrayForm<AudioData>
{
    protected override int RowRank => 2;

    protected override bool Holds(ArcDType dtype) => dtype == ArcDType.Float32;

    protected override ArcArray ArrayOf(AudioData batch) => batch.Samples;

    protected override AudioData Build(ArcArray array, DataFacts facts) => new(array, facts.SampleRate!.Value);

    public override string? Rejects(NpyLayout layout, DataFacts facts)
        => base.Rejects(layout, facts) ?? (facts.SampleRate is null ? "is audio but meta.json has no sample_rate" : null);

    public override DataFacts FactsOf(AudioData batch) => new() { SampleRate = batch.SampleRate };

    public override void WriteFacts(Utf8JsonWriter json, DataFacts facts) => json.WriteNumber("sample_rate", facts.SampleRate!.Value);

}

/// <summary><see cref="VideoData"/>: frames N×T×C×H×W; the frame rate in meta.json (<c>fps</c>).</summary>
internal sealed class VideoForm : ArrayForm<VideoData>
{
    protected override int RowRank => 4;

    protected override ArcArray ArrayOf(VideoData batch) => batch.Frames;

    protected override VideoData Build(ArcArray array, DataFacts facts) => new(array, facts.FramesPerSecond!.Value);

    public override string? Rejects(NpyLayout layout, DataFacts facts)
        => base.Rejects(layout, facts) ?? (facts.FramesPerSecond is null ? "is video but meta.json has no fps" : null);

    public override DataFacts FactsOf(VideoData batch) => new() { FramesPerSecond = batch.FramesPerSecond };

    public override void WriteFacts(Utf8JsonWriter json, DataFacts facts) => json.WriteNumber("fps", facts.FramesPerSecond!.Value);
}

/// <summary>Names as a JSON array of strings.</summary>
file static class Names
{
    public static void Write(Utf8JsonWriter json, string key, DataFacts facts)
    {
        json.WriteStartArray(key);
        foreach (var name in facts.Names!) json.WriteStringValue(name);
        json.WriteEndArray();
    }
}
