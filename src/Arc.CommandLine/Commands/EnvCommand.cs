using System.Text.Json;
using Arc.Sdk;

namespace Arc.CommandLine;

/// <summary><c>env</c>: the environment report as text or JSON (what env.json in a run folder holds).</summary>
internal static class EnvCommand
{
    public static int Run(bool json)
    {
        var report = ArcEnvironment.Sample();
        Console.Write(json ? JsonSerializer.Serialize(report, RunJson.Indented) + Environment.NewLine : report.Format());
        return 0;
    }
}
