using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Arc.Tracking;

namespace Arc.Cli;

/// <summary><c>arc metrics show &lt;experiment&gt; &lt;key&gt;</c>.</summary>
internal static class MetricCommands
{
    public static Command Build()
    {
        var command = new Command("metrics", "Read metric series");
        command.Add(Show());
        return command;
    }

    private static Command Show()
    {
        var experiment = new Argument<string>("experiment") { Description = ObjectRefs.Help };
        var key = new Argument<string>("key") { Description = "The series' key (train/loss)" };
        var from = new Option<long?>("--from") { Description = "The first step to show (default: the first)" };
        var to = new Option<long?>("--to") { Description = "The last step to show (default: the last)" };
        var command = new Command("show", "Show one metric series: its points by step, in the order they were logged") { experiment, key, from, to };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var found = await ObjectRefs.ExperimentAsync(context.Store, context.Parse.GetRequiredValue(experiment), cancellationToken).ConfigureAwait(false);
            var points = await context.Store.ReadMetricAsync(found.Id, context.Parse.GetRequiredValue(key),
                context.Parse.GetValue(from), context.Parse.GetValue(to), cancellationToken).ConfigureAwait(false);
            if (context.Output.Json)
            {
                context.Output.WriteJson(new JsonArray(points.Select(PointJson).ToArray<JsonNode?>()));
                return;
            }
            context.Output.WriteTable(["STEP", "VALUE", "TIME"],
                points.Select(p => (IReadOnlyList<string>)[p.Step.ToString(CultureInfo.InvariantCulture), Output.Number(p.Value), Output.Time(p.WallTime)]));
        });
        return command;
    }

    /// <summary>A point as <c>--json</c> writes it (NaN and infinities as strings).</summary>
    public static JsonNode? PointJson(MetricPoint point) => new JsonObject
    {
        ["key"] = point.Key,
        ["step"] = point.Step,
        ["value"] = Output.JsonDouble(point.Value),
        ["time"] = Output.JsonTime(point.WallTime),
    };
}
