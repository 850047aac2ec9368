using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Arc.Packages.Tests.Support;

namespace Arc.Packages.Tests;

/// <summary>
/// Arc through its packages alone (issue 17, docs/packages.md): a project made by <c>dotnet new arc-model</c> outside the
/// repository, restored from a folder feed of this build's packages, trains its model in process and in a worker process,
/// saves it, and a second process connects to it by reference; the template's tests and README's "What you write" lines
/// pass there; the packages carry what that needs, and the <c>arc</c> tool installs from the feed and runs.
/// </summary>
public sealed partial class PackagedConsumerTests(PackagedConsumer consumer) : IClassFixture<PackagedConsumer>
{
    private static readonly TimeSpan RunGuard = TimeSpan.FromMinutes(10);

    [Fact]
    public void The_consumer_builds_from_the_packages_alone_without_a_warning()
    {
        string csproj = File.ReadAllText(Path.Combine(consumer.Folder, PackagedConsumer.Name, $"{PackagedConsumer.Name}.csproj"));
        Assert.Contains($"<PackageReference Include=\"Arc.Sdk\" Version=\"{consumer.Version}\" />", csproj);
        Assert.DoesNotContain("ProjectReference", csproj);
        Assert.DoesNotMatch(@"warning [A-Za-z]+[0-9]+:", consumer.Build.Stdout);
        Assert.Contains(" 0 Warning(s)", consumer.Build.Stdout);

        // What travels only through Arc.Sdk's buildTransitive targets reached the program and the test project over it.
        foreach (string project in new[] { PackagedConsumer.Name, $"{PackagedConsumer.Name}.Tests" })
        {
            string output = Path.Combine(consumer.Folder, project, "bin", "Release", "net10.0");
            foreach (string file in new[] { "Arc.Worker.dll", "Arc.Worker.runtimeconfig.json", "Arc.Worker.deps.json" })
                Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is missing from {output}");
            // The worker's runtimeconfig is the program's with Arc.Worker's GC setting added.
            var program = JsonNode.Parse(File.ReadAllText(Path.Combine(output, $"{project}.runtimeconfig.json")))!;
            var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "Arc.Worker.runtimeconfig.json")))!;
            var workerProperties = worker["runtimeOptions"]!["configProperties"]!.AsObject();
            Assert.Equal(2097152, (int)workerProperties["System.GC.LOHThreshold"]!);
            workerProperties.Remove("System.GC.LOHThreshold");
            if (workerProperties.Count == 0 && program["runtimeOptions"]!["configProperties"] is null)
                worker["runtimeOptions"]!.AsObject().Remove("configProperties"); // the targets made it for the threshold
            Assert.True(JsonNode.DeepEquals(program, worker), $"{project}: the worker's runtimeconfig is not the program's plus the threshold");
        }
    }

    [Fact]
    public async Task The_program_trains_in_process_and_in_a_worker_saves_and_a_second_process_connects_by_reference()
    {
        string program = Path.Combine(consumer.Folder, PackagedConsumer.Name, "bin", "Release", "net10.0", $"{PackagedConsumer.Name}.dll");

        var train = await Command.RunAsync(consumer.Folder, consumer.RunEnvironment, RunGuard, Command.Dotnet(), program);
        Assert.True(train.Exit == 0, train.Output);
        var here = InProcess().Match(train.Stdout);
        var there = InWorker().Match(train.Stdout);
        var saved = Saved().Match(train.Stdout);
        Assert.True(here.Success && there.Success && saved.Success, train.Output);
        Assert.True(double.Parse(here.Groups[1].Value) >= 0.9, train.Output);
        Assert.Equal(here.Groups[1].Value, there.Groups[1].Value); // same weights, same batches, same numbers

        string reference = saved.Groups[1].Value.Trim();
        var connect = await Command.RunAsync(consumer.Folder, consumer.RunEnvironment, RunGuard, Command.Dotnet(), program, "predict", reference);
        Assert.True(connect.Exit == 0, connect.Output);
        Assert.Contains($"connected to {reference}: accuracy={there.Groups[1].Value}", connect.Stdout);
    }

    [Fact]
    public async Task The_templates_tests_and_the_READMEs_lines_pass_in_the_consumer()
    {
        var test = await Command.RunAsync(consumer.Folder, consumer.RunEnvironment, RunGuard, Command.Dotnet(),
            "test", $"{PackagedConsumer.Name}.slnx", "-c", "Release", "--no-build", "-nologo");

        Assert.True(test.Exit == 0, test.Output);
        Assert.Matches(@"Failed:\s+0, Passed:\s+3, Skipped:\s+0, Total:\s+3", test.Stdout);
    }

    [Fact]
    public void Arc_Sdk_carries_the_generator_the_worker_program_and_transitive_build_targets()
    {
        using var package = ZipFile.OpenRead(consumer.Package("Arc.Sdk"));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        foreach (string entry in new[]
        {
            "analyzers/dotnet/cs/Arc.Generators.dll", "lib/net10.0/Arc.Sdk.dll", "lib/net10.0/Arc.Worker.dll",
            "buildTransitive/Arc.Sdk.targets", "buildTransitive/Arc.TorchSharp.targets", "buildTransitive/WeakenElfVersionNeed.cs",
        })
            Assert.Contains(entry, entries);

        var dependencies = Nuspec(package).Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
        foreach (string id in new[] { "Arc.Types", "Arc.Torch", "Arc.Remote", "Arc.Hosting", "Arc.Artifacts" })
            Assert.Equal(consumer.Version, dependencies[id]);
    }

    [Fact]
    public async Task The_arc_tool_installs_from_the_feed_and_runs()
    {
        using (var package = ZipFile.OpenRead(consumer.Package("Arc.Cli")))
            Assert.Contains(Nuspec(package).Descendants(), e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool");

        string tools = consumer.Scratch("tools");
        var install = await Command.RunAsync(consumer.Folder, consumer.RunEnvironment, RunGuard, Command.Dotnet(),
            "tool", "install", "Arc.Cli", "--version", consumer.Version, "--tool-path", tools, "--add-source", consumer.Feed);
        Assert.True(install.Exit == 0, install.Output);

        var help = await Command.RunAsync(consumer.Folder, consumer.RunEnvironment, RunGuard, Path.Combine(tools, "arc"), "--help");
        Assert.True(help.Exit == 0, help.Output);
        Assert.Contains("server", help.Stdout);
        Assert.Contains("experiments", help.Stdout);
    }

    private static XDocument Nuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    [GeneratedRegex(@"^in process: accuracy=([0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex InProcess();

    [GeneratedRegex(@"^in a worker process: True accuracy=([0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex InWorker();

    [GeneratedRegex(@"^saved: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex Saved();
}
