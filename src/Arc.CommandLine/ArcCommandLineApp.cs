using System.CommandLine;
using System.CommandLine.Parsing;

namespace Arc.CommandLine;

/// <summary>
/// Runs the generated command line of a program (<c>ArcCommandLine.RunAsync(args)</c>): builds the <c>train</c>,
/// <c>eval</c>, <c>infer</c>, <c>preview</c> and <c>env</c> commands from the catalog, parses, reports bad input with
/// usage and exit code 2, and runs the command. Ctrl+C asks a running command to stop after the current step
/// (exit code 130); a second Ctrl+C ends the process at once.
/// </summary>
public static class ArcCommandLineApp
{
    /// <summary>Exit code of a run stopped by Ctrl+C (128 + SIGINT), as shells report it.</summary>
    public const int InterruptedExitCode = 130;

    /// <summary>Exit code of bad input (unknown option, wrong value).</summary>
    public const int UsageExitCode = 2;

    /// <summary>The standard options' names: a model or job parameter with one of them gets a <c>--model-</c>/<c>--job-</c> prefix from the generator.</summary>
    public static IReadOnlySet<string> StandardOptionNames => StandardOptions.Names;

    private static readonly string[] CommandNames = ["train", "eval", "infer", "preview", "env"];

    /// <summary>
    /// Creates the handler <c>--tracking &lt;uri&gt;</c> feeds, from the option's text and the run; null (the default):
    /// the run is recorded through <see cref="Arc.Sdk.TrainingRecorders.ForDestination"/> (Arc.Tracking.Recording), as
    /// <c>TrainAsync</c> records itself. Set it to record somewhere else.
    /// </summary>
    public static Func<string, RunStarted, IOutputHandler>? TrackingHandlerFactory { get; set; }

    /// <summary>Runs the command in <paramref name="args"/>; returns the exit code.</summary>
    /// <param name="catalog">The program's models and jobs (<c>ArcCommandLine.Catalog</c>).</param>
    /// <param name="args">The program's arguments.</param>
    /// <param name="withoutCommand">What a run that names no command does (it gets the arguments, its own options); null: the command line's usage.</param>
    public static async Task<int> RunAsync(CommandLineCatalog catalog, string[] args, Func<string[], Task<int>>? withoutCommand = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(args);
        // With a plain-run behaviour of its own, the program keeps its own options (--help included); only a command name leads here.
        if (withoutCommand is not null && (args.Length == 0 || !CommandNames.Contains(args[0])))
            return await withoutCommand(args).ConfigureAwait(false);

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (stop.IsCancellationRequested) return; // the second Ctrl+C ends the process
            e.Cancel = true;
            Console.Error.WriteLine("stopping after the current step (Ctrl+C again to end at once) ...");
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var root = CommandTree.Build(catalog, stop.Token);
            var result = root.Parse(args);
            if (result.Errors.Count > 0)
                return ReportErrors(result);
            return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (CommandLineException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The job's or model's own refusal (a split it does not have, data it cannot read): its message, no stack trace.
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("stopped by Ctrl+C");
            return InterruptedExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Every parse error, a "did you mean" for each unknown option, and the command's usage; exit code 2.</summary>
    private static int ReportErrors(ParseResult result)
    {
        var command = result.CommandResult.Command;
        var known = command.Options.Concat(command.Parents.OfType<Command>().SelectMany(c => c.Options.Where(o => o.Recursive)))
            .SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct().ToList();
        foreach (var error in result.Errors)
        {
            Console.Error.WriteLine($"error: {error.Message}");
        }
        foreach (var token in result.UnmatchedTokens.Where(t => t.StartsWith('-')))
        {
            string name = token.Split('=')[0];
            var nearest = Suggestions.Nearest(name, known.Concat(command.Subcommands.Select(c => c.Name)));
            if (nearest is not null)
                Console.Error.WriteLine($"  did you mean {nearest}?");
        }
        Console.Error.WriteLine();
        Console.Error.WriteLine(Usage.Of(command));
        Console.Error.WriteLine($"Run '{RootName(command)} --help' for every option.");
        return UsageExitCode;
    }

    private static string RootName(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, c is RootCommand ? Usage.ProgramName : c.Name);
        return string.Join(' ', names);
    }
}
