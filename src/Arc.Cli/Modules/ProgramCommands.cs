using System.CommandLine;
using Arc.Artifacts;
using Arc.CommandLine;
using Arc.Sdk;
using Microsoft.Extensions.Logging;

namespace Arc.Cli;

/// <summary>
/// <c>arc train|eval|infer|preview</c>. Two forms (docs/command-line.md):
/// <list type="bullet">
/// <item><c>arc train [--work-dir dir] &lt;archive|module dir&gt; &lt;model_dir&gt; [args]</c>: seed 004's training runner. The
/// archive's (or folder's) training entry (an <see cref="ITrainingModule"/>) trains into <c>model_dir</c> with the
/// arguments after it; logs go to <c>logDirectory/strftime(logNamingFormat)</c> and TensorBoard files to
/// <c>tensorboardDirectory</c>, both relative to the working folder.</item>
/// <item><c>arc &lt;command&gt; --assembly &lt;dll&gt; [options]</c>: the generated command line of any built Arc program,
/// loaded as a worker loads it; the options are that program's (<c>--help</c> lists them).</item>
/// </list>
/// Everything after the command goes to the program or module as it is, so these are dispatched before parsing;
/// the commands in the tree are there for <c>--help</c>, usage and completion.
/// </summary>
internal static class ProgramCommands
{
    public static readonly string[] Names = ["train", "eval", "infer", "preview"];
    private static readonly string[] HelpTokens = ["-h", "--help", "-?", "/?", "/h"];

    public static IEnumerable<Command> Build()
    {
        var assembly = new Option<string?>("--assembly") { Description = "A built Arc program (.dll) whose generated command line runs this command", HelpName = "dll" };
        var workDir = new Option<string?>("--work-dir") { Description = "Where relative log and TensorBoard folders are (default: the current folder)", HelpName = "dir" };
        var module = new Argument<string?>("archive|module dir") { Description = "A model archive (.tar.gz) or a module dir (build output folder)", Arity = ArgumentArity.ZeroOrOne };
        var modelDir = new Argument<string?>("model_dir") { Description = "The folder the trained model is written to", Arity = ArgumentArity.ZeroOrOne };
        var rest = new Argument<string[]>("args") { Description = "Training arguments, passed on as strings: --job <name> --epochs N --batch-size N --seed N and the model's and job's parameters" };
        var train = new Command("train", "Train a model archive or module dir into a model directory, or run 'train' of a built program (--assembly)")
        {
            assembly, workDir, module, modelDir, rest,
        };
        train.SetAction(_ => Usage(Console.Error));
        yield return train;
        foreach (var (name, what) in new[] { ("eval", "Evaluate"), ("infer", "Predict with"), ("preview", "Preview the data of") })
        {
            var command = new Command(name, $"{what} a built program's models and jobs: its generated '{name}' command (--assembly <dll> [options])")
            {
                new Option<string>("--assembly") { Description = "A built Arc program (.dll)", HelpName = "dll", Required = true },
            };
            command.TreatUnmatchedTokensAsErrors = false;
            yield return command;
        }
    }

    /// <summary>Whether <paramref name="args"/> are one of these commands with more than help: they skip the parser.</summary>
    public static bool Handles(string[] args)
        => args.Length > 1 && Names.Contains(args[0]) && !HelpTokens.Contains(args[1]);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        using var stop = new CancellationTokenSource();
        try
        {
            int at = Array.FindIndex(args, 1, a => a == "--assembly" || a.StartsWith("--assembly=", StringComparison.Ordinal));
            if (at > 0)
            {
                string? dll = args[at].Length > "--assembly".Length ? args[at]["--assembly=".Length..] : at + 1 < args.Length ? args[at + 1] : null;
                if (string.IsNullOrEmpty(dll)) return Fail(error, "--assembly needs the path of a built .dll", ExitCodes.Usage);
                var passOn = args.Where((_, i) => i != 0 && i != at && !(i == at + 1 && args[at] == "--assembly")).Prepend(args[0]).ToArray();
                return await RunProgramAsync(dll, passOn, error).ConfigureAwait(false);
            }
            if (args[0] != "train")
                return Fail(error, $"arc {args[0]} runs a built program's command: arc {args[0]} --assembly <dll> [options]", ExitCodes.Usage);
            return await TrainAsync(args, output, error, stop).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (message, exitCode) = CliErrors.Describe(e, null);
            return Fail(error, message, exitCode);
        }
    }

    /// <summary>Runs <paramref name="args"/> through the generated command line of the program <paramref name="dll"/>, loaded as a worker loads it.</summary>
    internal static async Task<int> RunProgramAsync(string dll, string[] args, TextWriter error)
    {
        if (!File.Exists(dll)) return Fail(error, $"--assembly {Path.GetFullPath(dll)} does not exist", ExitCodes.NotFound);
        var assembly = UserAssemblies.Load(dll);
        var catalog = CommandLineCatalog.ForAssembly(assembly);
        if (catalog is null)
            return Fail(error, $"{Path.GetFullPath(dll)} has no generated command line: it needs [Model] or [Job] classes and a reference to Arc.CommandLine", ExitCodes.Usage);
        return await ArcCommandLineApp.RunAsync(catalog, args).ConfigureAwait(false);
    }

    private static async Task<int> TrainAsync(string[] args, TextWriter output, TextWriter error, CancellationTokenSource stop)
    {
        int next = 1;
        string workDirectory = Directory.GetCurrentDirectory();
        if (args[next] == "--work-dir" || args[next].StartsWith("--work-dir=", StringComparison.Ordinal))
        {
            workDirectory = args[next].Contains('=') ? args[next]["--work-dir=".Length..] : next + 1 < args.Length ? args[++next] : "";
            if (workDirectory.Length == 0) return Fail(error, "--work-dir needs a folder", ExitCodes.Usage);
            workDirectory = Path.GetFullPath(workDirectory);
            next++;
        }
        if (args.Length < next + 2)
            return Fail(error, "arc train needs a model archive or module dir and a model directory: arc train <archive|module dir> <model_dir> [args]", ExitCodes.Usage);
        string source = args[next], modelDirectory = Path.GetFullPath(args[next + 1]);
        var trainingArguments = args[(next + 2)..].ToList();

        var module = await ModelModule.OpenAsync(source, cancellationToken: stop.Token).ConfigureAwait(false);
        var manifest = module.Manifest;
        // The manifest may name the job (an extra field, `arc package --job`); an explicit --job wins.
        if (manifest.ExtraFields?.GetValueOrDefault("job") is { ValueKind: System.Text.Json.JsonValueKind.String } job
            && !trainingArguments.Any(a => a == "--job" || a.StartsWith("--job=", StringComparison.Ordinal)))
            trainingArguments.InsertRange(0, ["--job", job.GetString()!]);

        string logFile = Path.Combine(ModelModule.Resolve(manifest.LogDirectory, workDirectory), Strftime.Format(manifest.LogNamingFormat, DateTimeOffset.Now));
        string tensorBoard = ModelModule.Resolve(manifest.TensorboardDirectory, workDirectory);
        using var logger = new TrainingLogger(logFile, error);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            error.WriteLine("stopping after the current step ...");
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            logger.LogInformation("arc train {Source} (entry {Entry}) into {ModelDirectory}; log {LogFile}{TensorBoard}", module.Source,
                manifest.TrainingScript, modelDirectory, logFile, manifest.EnableTensorboard ? "; TensorBoard " + tensorBoard : "");
            var training = module.CreateTrainingModule();
            await training.TrainAsync(modelDirectory, trainingArguments, manifest.EnableTensorboard, tensorBoard, logger, stop.Token).ConfigureAwait(false);
            await output.WriteLineAsync($"trained into {modelDirectory} (log {logFile})").ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            logger.LogWarning("stopped by Ctrl+C before training ended; {ModelDirectory} was not written", modelDirectory);
            return ArcCommandLineApp.InterruptedExitCode;
        }
        catch (Exception e)
        {
            var (message, exitCode) = CliErrors.Describe(e, null);
            logger.LogError("training failed: {Message}", message);
            return exitCode;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int Usage(TextWriter error)
    {
        error.WriteLine("usage: arc train [--work-dir <dir>] <archive|module dir> <model_dir> [args]");
        error.WriteLine("       arc train|eval|infer|preview --assembly <dll> [options]");
        return ExitCodes.Usage;
    }

    private static int Fail(TextWriter error, string message, int exitCode)
    {
        error.WriteLine("arc: error: " + message);
        return exitCode;
    }
}
