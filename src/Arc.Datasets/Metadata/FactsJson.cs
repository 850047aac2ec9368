using System.Text.Json;

namespace Arc.Datasets;

/// <summary>
/// Reads the facts of one part (<c>content.x</c> or <c>content.y</c>) of meta.json, whatever the type: the members
/// a form writes (<c>class_names</c>, <c>label_names</c>, <c>sample_rate</c>, <c>fps</c>) are each optional here, and
/// the form of the type says which it needs (<see cref="DataForm{T}.Rejects"/>).
/// </summary>
internal static class FactsJson
{
    public static DataFacts Read(JsonElement part, MetaFields fields, string where)
    {
        IReadOnlyList<string>? names = fields.Optional(part, "class_names") is not null ? fields.Strings(part, "class_names", where)
            : fields.Optional(part, "label_names") is not null ? fields.Strings(part, "label_names", where)
            : null;
        int? rate = fields.Optional(part, "sample_rate") is not null ? fields.Int32(part, "sample_rate", where, min: 1) : null;
        double? fps = null;
        if (fields.Optional(part, "fps") is not null)
        {
            double value = fields.Double(part, "fps", where);
            fps = double.IsFinite(value) && value > 0 ? value : throw fields.Error(MetaFields.Path(where, "fps"), $"is {value}, not a positive frame rate");
        }
        return new DataFacts { Names = names, SampleRate = rate, FramesPerSecond = fps };
    }
}
