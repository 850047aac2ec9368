using System.CommandLine;
using Arc.CommandLine;

namespace Arc.Cli;

/// <summary><c>arc env [--json]</c>: the environment report (OS, CPU, memory, .NET, TorchSharp, libtorch, GPUs), the same as a program's generated <c>env</c>.</summary>
internal static class EnvCommand
{
    private static readonly CommandLineCatalog Empty = new([], []);

    public static Command Build()
    {
        var command = new Command("env", "The environment report: OS, CPU, memory, .NET, TorchSharp, libtorch, GPUs (--json for scripts)");
        command.SetAction((parse, _) => ArcCommandLineApp.RunAsync(Empty, parse.GetValue(GlobalOptions.Json) ? ["env", "--json"] : ["env"]));
        return command;
    }
}
