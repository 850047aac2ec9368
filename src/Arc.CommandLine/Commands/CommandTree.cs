using System.CommandLine;

namespace Arc.CommandLine;

/// <summary>The command tree of a catalog: the root and <c>train</c>, <c>eval</c>, <c>infer</c>, <c>preview</c>, <c>env</c>, each with its options and action.</summary>
internal static class CommandTree
{
    public static RootCommand Build(CommandLineCatalog catalog, CancellationToken stop)
    {
        var root = new RootCommand($"Train, evaluate and run this program's models: {Describe(catalog)}. 'train --help' lists every option.");
        var s = new StandardOptions();
        // Tab completion ([suggest], dotnet-suggest) offers the registered names; a run folder is the shell's to complete.
        s.Model.CompletionSources.Add(catalog.Models.Select(m => m.Name).ToArray());
        s.Job.CompletionSources.Add(catalog.Jobs.Select(j => j.Name).ToArray());

        var train = new Command("train", "Train a model on a job; writes a run folder with checkpoints, metrics and plots");
        Add(train, s.Job, s.Model, s.DatasetDir, s.Epochs, s.BatchSize, s.Seed, s.Device, s.Threads, s.Target, s.KubernetesImage, s.KubernetesNamespace,
            s.KubernetesContext, s.Kubeconfig, s.OutputDir, s.CheckpointEvery,
            s.Resume, s.TimeBudget, s.Tracking, s.LogLevel, s.Outputs, s.Profile);
        var trainParameters = new ParameterOptions(train, catalog.Models.Cast<CommandLineTarget>().Concat(catalog.Jobs), StandardOptions.Names);
        train.SetAction((result, _) => new TrainCommand(catalog, s, trainParameters, result, stop).RunAsync());
        root.Subcommands.Add(train);

        var eval = new Command("eval", "Evaluate a trained model (a run folder or checkpoint) on a job's split");
        Add(eval, s.Job, s.Model, s.DatasetDir, s.EvalSplit, s.BatchSize, s.Device, s.Threads, s.Output, s.Json);
        var evalParameters = new ParameterOptions(eval, catalog.Jobs, StandardOptions.Names);
        eval.SetAction((result, _) => new EvalCommand(catalog, s, evalParameters, result, stop).RunAsync());
        root.Subcommands.Add(eval);

        var infer = new Command("infer", "Predict with a trained model (a run folder or checkpoint) on files: images, .txt, .csv");
        Add(infer, s.Model, s.Input, s.Output, s.Device, s.Threads);
        infer.SetAction((result, _) => new InferCommand(catalog, s, result, stop).RunAsync());
        root.Subcommands.Add(infer);

        var preview = new Command("preview", "Show a job's data: shapes, class counts, a few samples; an image grid with --output");
        Add(preview, s.Job, s.DatasetDir, s.Split, s.Count, s.Seed, s.Output);
        var previewParameters = new ParameterOptions(preview, catalog.Jobs, StandardOptions.Names);
        preview.SetAction((result, _) => new PreviewCommand(catalog, s, previewParameters, result, stop).RunAsync());
        root.Subcommands.Add(preview);

        var env = new Command("env", "The environment report: OS, CPU, memory, .NET, TorchSharp, libtorch, GPUs");
        Add(env, s.Json);
        env.SetAction(result => EnvCommand.Run(result.GetValue(s.Json)));
        root.Subcommands.Add(env);
        return root;
    }

    private static string Describe(CommandLineCatalog catalog)
        => $"models {string.Join(", ", catalog.Models.Select(m => m.Name))}; jobs {string.Join(", ", catalog.Jobs.Select(j => j.Name))}";

    private static void Add(Command command, params Option[] options)
    {
        foreach (var option in options) command.Options.Add(option);
    }
}
