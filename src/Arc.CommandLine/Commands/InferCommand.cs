using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Arc.Types;

namespace Arc.CommandLine;

/// <summary><c>infer</c>: predicts with a trained model on files; a table on the console, or JSON lines with <c>--output</c>.</summary>
internal sealed class InferCommand(CommandLineCatalog catalog, StandardOptions s, ParseResult result, CancellationToken stop)
{
    public async Task<int> RunAsync()
    {
        var source = await ModelSource.ResolveAsync(catalog, result.GetValue(s.Model), stop).ConfigureAwait(false);
        if (source.Checkpoint is null)
            throw new CommandLineException($"--model {source.Model.Name}: infer needs trained weights; give a run folder (train --output-dir) or a checkpoint folder", ArcCommandLineApp.UsageExitCode);
        var inputs = result.GetValue(s.Input);
        if (inputs is null || inputs.Length == 0)
            throw new CommandLineException("infer needs --input <files or folder>", ArcCommandLineApp.UsageExitCode);
        var files = InputFiles.Expand(inputs);
        RunSettings.Apply(result.GetValue(s.Device)!, result.GetValue(s.Threads), null);
        return await source.Model.AcceptAsync(new Visitor(source, files, result.GetValue(s.Output), stop)).ConfigureAwait(false);
    }

    private sealed class Visitor(ModelSource source, List<string> files, string? output, CancellationToken stop) : IModelVisitor
    {
        public async Task<int> VisitAsync<X, Y>(CommandLineModel<X, Y> entry)
            where X : class, IArcData<X>
            where Y : class, IArcData<Y>
        {
            var (batch, names) = InputFiles.Read<X>(files, source.Config?.InputShape);
            var model = entry.CreateModel(source.Values);
            using var disposal = model as IDisposable;
            await Checkpoints.LoadAsync(source.Checkpoint!, model, resuming: false, stop).ConfigureAwait(false);
            var predictions = await model.PredictAsync(batch, stop).ConfigureAwait(false);
            var rows = Rows(predictions, names);
            if (output is not null)
            {
                await File.WriteAllLinesAsync(output, rows.Select(r => JsonSerializer.Serialize(r, RunJson.Options)), stop).ConfigureAwait(false);
                Console.WriteLine($"{rows.Count} predictions written to {Path.GetFullPath(output)}");
            }
            else
            {
                int width = Math.Max(5, names.Max(n => n.Length));
                Console.WriteLine($"{"input".PadRight(width)}  prediction  score");
                foreach (var r in rows)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Input.PadRight(width)}  {r.Prediction,-10}  {r.Score:0.0000}"));
            }
            return 0;
        }

        private static List<PredictionRow> Rows<Y>(Y predictions, List<string> names)
        {
            if (predictions is ClassData classes)
            {
                var indices = classes.Indices.ToArray<long>();
                float[]? scores = classes.Scores?.ToArray<float>();
                int k = classes.ClassNames.Count;
                return names.Select((n, i) => new PredictionRow(n, classes.ClassNames[(int)indices[i]], scores is null ? double.NaN : scores[i * k + (int)indices[i]])).ToList();
            }
            return names.Select(n => new PredictionRow(n, predictions?.ToString() ?? "", double.NaN)).ToList();
        }
    }

    private sealed record PredictionRow(string Input, string Prediction, double Score);
}
