using System.CommandLine;
using System.CommandLine.Invocation;

namespace Arc.Cli;

/// <summary>
/// The <c>arc</c> command tree (docs/command-line.md): <c>server</c> runs a tracking server, <c>experiments</c>,
/// <c>metrics</c> and <c>models</c> read and write one. Other issues add their commands here.
/// </summary>
internal static class ArcCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Arc for .NET: the tracking server and its command-line client")
        {
            GlobalOptions.Server,
            GlobalOptions.Token,
            GlobalOptions.Json,
        };
        root.Add(ServerCommands.Build());
        root.Add(ExperimentCommands.Build());
        root.Add(MetricCommands.Build());
        root.Add(ModelCommands.Build());
        root.Add(VersionCommands.Build());
        root.Add(EventCommands.Build());
        return root;
    }

    /// <summary>Parses and runs one command line; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var parse = Build().Parse(args);
        // Signals are the commands' own business (`arc server start` stops gracefully); no forced exit after 2 s.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        if (output is not null) invocation.Output = output;
        if (error is not null) invocation.Error = error;
        if (parse.Errors.Count > 0)
        {
            // The default action lists the errors with "did you mean" suggestions; the help is one --help away.
            if (parse.Action is ParseErrorAction errorAction) errorAction.ShowHelp = false;
            // All of it on standard error (the suggestions would go to standard output), so a script's pipe reads nothing.
            await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = invocation.Error, Error = invocation.Error })
                .ConfigureAwait(false);
            await invocation.Error.WriteLineAsync($"Run '{Usage(parse)} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(invocation).ConfigureAwait(false);
    }

    private static string Usage(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "arc" : result.Command.Name);
        return string.Join(' ', names);
    }

    /// <summary>
    /// Sets a command's action to <paramref name="action"/> with a <see cref="CommandContext"/>: a failure is one line on
    /// standard error (<c>arc: error: …</c>) and its exit code (<see cref="CliErrors"/>).
    /// </summary>
    public static void SetClientAction(this Command command, Func<CommandContext, CancellationToken, Task> action)
        => command.SetAction(async (parse, cancellationToken) =>
        {
            string? where = null;
            try
            {
                var context = CommandContext.For(parse);
                await using var _ = context.ConfigureAwait(false);
                where = context.Where;
                await context.OpenAsync(cancellationToken).ConfigureAwait(false);
                await action(context, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                var (message, exitCode) = CliErrors.Describe(e, where);
                await parse.InvocationConfiguration.Error.WriteLineAsync("arc: error: " + message).ConfigureAwait(false);
                return exitCode;
            }
        });
}
