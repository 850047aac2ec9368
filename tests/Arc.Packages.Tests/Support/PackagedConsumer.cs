using Arc.Sdk.Tests.Support;

namespace Arc.Packages.Tests.Support;

/// <summary>
/// One consumer of Arc's packages, made as a user makes it and shared by the tests of a class (its build is the expensive
/// part): the repository's build is packed into a folder feed under a version of its own (so no package cache can serve
/// an older Arc under the same name), the template package is installed into a private template hive, <c>dotnet new
/// arc-model</c> creates the project, and a nuget.config of its own adds the feed to the machine's package sources. The
/// consumer's packages are restored into its own folder, with the machine's NuGet folder as a read-only fallback (where
/// TorchSharp and libtorch already are), so nothing of this run is left in the machine's caches.
/// </summary>
public sealed class PackagedConsumer : IAsyncLifetime
{
    /// <summary>The consumer's name: its folder, its project, its namespace.</summary>
    public const string Name = "Digits";

    /// <summary>A pack, a restore and a build may take minutes on a loaded machine; past this a step fails instead of hanging.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromMinutes(15);

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("arc-packages-test-");

    /// <summary>The version every package of this run has.</summary>
    public string Version { get; } = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>The folder feed the packages were packed into.</summary>
    public string Feed => Path.Combine(_root.FullName, "feed");

    /// <summary>The folder the template created (the solution's folder).</summary>
    public string Folder => Path.Combine(_root.FullName, Name);

    /// <summary>A scratch folder of this run, for tool installs and the like.</summary>
    public string Scratch(string name) => Directory.CreateDirectory(Path.Combine(_root.FullName, name)).FullName;

    /// <summary>Where the consumer's programs keep artifacts and caches: inside this run's folder.</summary>
    public IReadOnlyDictionary<string, string> RunEnvironment => new Dictionary<string, string>
    {
        ["ARC_ARTIFACTS"] = Path.Combine(_root.FullName, "artifacts"),
        ["ARC_CACHE"] = Path.Combine(_root.FullName, "cache"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>The consumer's build.</summary>
    public Outcome Build { get; private set; } = null!;

    /// <summary>The path of a package file in the feed.</summary>
    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        // The test run built the solution: pack that build, never rebuild it (this process has its outputs loaded).
        await StepAsync(RepositoryFiles.Root, "bash", "scripts/pack.sh", "--no-build", Feed, Version);

        string hive = Scratch("template-hive");
        await StepAsync(_root.FullName, Command.Dotnet(), "new", "install", Package("Arc.Templates"), "--debug:custom-hive", hive);
        await StepAsync(_root.FullName, Command.Dotnet(), "new", "arc-model", "-n", Name, "-o", Folder, "--debug:custom-hive", hive);

        File.WriteAllText(Path.Combine(Folder, "nuget.config"), NugetConfig());
        File.WriteAllText(Path.Combine(Folder, $"{Name}.Tests", "WhatYouWriteTests.cs"), WhatYouWriteTests());

        // As a user builds; hard links keep libtorch's gigabyte out of the output folders (not what is tested), and no build
        // servers or reused nodes outlive the test.
        Build = await StepAsync(Folder, Command.Dotnet(), "build", $"{Name}.slnx", "-c", "Release", "-nologo", "-nodeReuse:false",
            "-p:UseSharedCompilation=false", "-p:CreateHardLinksForCopyLocalIfPossible=true");
    }

    private async Task<Outcome> StepAsync(string folder, string program, params string[] arguments)
    {
        var outcome = await Command.RunAsync(folder, RunEnvironment, Guard, program, arguments);
        if (outcome.Exit != 0) throw new InvalidOperationException($"a step of making the packaged consumer failed:{Environment.NewLine}{outcome.Output}");
        return outcome;
    }

    /// <summary>The machine's NuGet folder (where TorchSharp and libtorch already are).</summary>
    public static string MachinePackages => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
        ? set
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    // The feed added to the machine's own sources (no <clear/>: whatever this machine restores from, the consumer does too).
    private string NugetConfig()
    {
        string machinePackages = MachinePackages;
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(_root.FullName, "packages")}" />
              </config>
              <packageSources>
                <add key="arc-test-feed" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """;
    }

    // README's "What you write": the lines that use the job and the model, run as written in a test of the consumer.
    private static string WhatYouWriteTests()
    {
        var blocks = RepositoryFiles.CodeBlocks("README.md", "What you write");
        string usage = Assert.Single(blocks, b => b.Language == "csharp" && b.Code.StartsWith("var job = new ClassifyDigits();", StringComparison.Ordinal)).Code;
        return $$"""
            // README's lines as a program writes them, without a test's cancellation token.
            #pragma warning disable xUnit1051
            using Arc.Sdk;
            using Arc.Torch;
            using Arc.Types;
            using Xunit;

            namespace {{Name}}.Tests;

            public sealed class WhatYouWriteTests
            {
                [Fact]
                public async Task The_READMEs_lines_run_as_written()
                {
            {{usage}}
                    Assert.Equal(12, predicted.IndexSpan.Length);
                    Assert.True(report.Metric("accuracy") > 0.5, report.Format());
                    Assert.True(new FileInfo("mlp.weights").Length > 0);
                }
            }
            """;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        try { _root.Delete(recursive: true); }
        catch (IOException) { /* a worker still closing a file: the OS's temp cleanup takes the rest */ }
        // A notebook's `#r "nuget: ..."` restores into the machine's NuGet folder (no config of ours reaches it): this run's
        // Arc packages, under a version no other run has, go again.
        foreach (string package in Directory.Exists(MachinePackages) ? Directory.GetDirectories(MachinePackages, "arc.*") : [])
        {
            var version = new DirectoryInfo(Path.Combine(package, Version.ToLowerInvariant()));
            if (version.Exists) version.Delete(recursive: true);
            if (Directory.Exists(package) && !Directory.EnumerateFileSystemEntries(package).Any()) Directory.Delete(package);
        }
        return ValueTask.CompletedTask;
    }
}
