using System.CommandLine;

namespace Arc.Cli;

/// <summary>
/// The action of a command that works on local files only (no tracking server): a failure is one line on standard error
/// (<c>arc: error: …</c>) and its exit code (<see cref="CliErrors"/>), as for the client commands.
/// </summary>
internal static class LocalAction
{
    public static void SetLocalAction(this Command command, Func<ParseResult, Output, CancellationToken, Task<int>> action)
        => command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, new Output(parse.InvocationConfiguration.Output, parse.GetValue(GlobalOptions.Json)), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                var (message, exitCode) = CliErrors.Describe(e, null);
                await parse.InvocationConfiguration.Error.WriteLineAsync("arc: error: " + message).ConfigureAwait(false);
                return exitCode;
            }
        });
}
