using System.Diagnostics;
using System.Text;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Samples;

/// <summary>
/// README's "Using Arc from your own project", done as a user would: its project file and sources are copied from the
/// README into a temporary folder outside this repository, built with <c>dotnet build</c> and run. The project must
/// print what the README shows; without its generator line the build must warn ARCSDK001 naming the line; without
/// Arc.Sdk's build targets, on a system whose libstdc++ lacks what TorchSharp asks for, the first torch call must name
/// that cause and the fix.
/// </summary>
public sealed class OwnProjectTests
{
    private const string Heading = "Using Arc from your own project";
    private const string ProjectName = "HousePrices";

    /// <summary>A build and a run may take minutes on a loaded machine; past this the test fails instead of hanging.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_READMEs_project_builds_outside_the_repository_and_prints_what_the_README_shows()
    {
        var project = Project.FromReadme();
        using var folder = project.WriteTo(csproj => csproj);

        var build = await BuildAsync(folder.Path);
        Assert.True(build.Exit == 0, build.Output);
        Assert.DoesNotContain("ARCSDK001", build.Output);

        var run = await RunAsync(folder.Path);
        Assert.True(run.Exit == 0, run.Output);
        Assert.Equal(project.Output, run.Stdout.ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public async Task Without_the_generator_line_the_build_warns_ARCSDK001_naming_the_line_to_add()
    {
        var project = Project.FromReadme();
        using var folder = project.WriteTo(csproj => WithoutLine(csproj, "Arc.Generators.csproj"));

        var build = await BuildAsync(folder.Path);

        Assert.NotEqual(0, build.Exit); // DeployAsync does not exist without the generator
        string line = $"<ProjectReference Include=\"{Path.Combine(RepositoryFiles.Root, "src", "Arc.Generators", "Arc.Generators.csproj")}\" " +
                      "OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />";
        Assert.Contains($"warning ARCSDK001: {ProjectName} references Arc.Sdk but not Arc's source generator", build.Output);
        Assert.Contains($"add {line} to {ProjectName}.csproj", build.Output);
    }

    [Fact]
    public async Task Without_Arc_Sdk_targets_a_system_libstdcxx_without_GLIBCXX_3_4_32_is_named_with_the_fix_at_the_first_torch_call()
    {
        var project = Project.FromReadme();
        using var folder = project.WriteTo(csproj => WithoutLine(csproj, "Arc.Sdk.targets"));
        var build = await BuildAsync(folder.Path);
        Assert.True(build.Exit == 0, build.Output);

        var run = await RunAsync(folder.Path);

        if (SystemLibStdCxxHas("GLIBCXX_3.4.32"))
        {
            // Nothing to fix on this system: the unpatched library loads and the program runs.
            Assert.True(run.Exit == 0, run.Output);
            Assert.Equal(project.Output, run.Stdout.ReplaceLineEndings("\n").TrimEnd());
            return;
        }
        Assert.NotEqual(0, run.Exit);
        Assert.Contains("System.DllNotFoundException: TorchSharp's native library does not load because this system's libstdc++ has no GLIBCXX_3.4.32", run.Stderr);
        Assert.Contains("Fix: add <Import Project=\"$(ArcRoot)/src/Arc.Sdk/build/Arc.Sdk.targets\" /> to your project and rebuild", run.Stderr);
        Assert.Contains("blames a missing package, but", run.Stderr);
    }

    /// <summary>The project of README's section: the project file, the sources (named by their first line) and the output shown.</summary>
    private sealed record Project(string ProjectFile, IReadOnlyList<(string Name, string Code)> Sources, string Output)
    {
        public static Project FromReadme()
        {
            var blocks = RepositoryFiles.CodeBlocks("README.md", Heading);
            string csproj = Assert.Single(blocks, b => b.Language == "xml").Code;
            Assert.StartsWith($"<!-- {ProjectName}.csproj -->\n", csproj);
            var sources = blocks.Where(b => b.Language == "csharp").Select(b =>
            {
                string first = b.Code.Split('\n', 2)[0];
                Assert.StartsWith("// ", first); // "// Program.cs": the file the block is
                return (first[3..].Trim(), b.Code);
            }).ToList();
            Assert.Contains(sources, s => s.Item1 == "Program.cs");
            return new Project(csproj, sources, Assert.Single(blocks, b => b.Language == "text").Code.TrimEnd());
        }

        /// <summary>Writes the project, its file edited by <paramref name="edit"/>, into a fresh folder outside the repository.</summary>
        public ScratchFolder WriteTo(Func<string, string> edit)
        {
            var folder = new ScratchFolder(TestScratch.Create());
            Assert.False(folder.Path.StartsWith(RepositoryFiles.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal),
                $"{folder.Path} is inside the repository");
            File.WriteAllText(System.IO.Path.Combine(folder.Path, $"{ProjectName}.csproj"), edit(ProjectFile));
            foreach (var (name, code) in Sources) File.WriteAllText(System.IO.Path.Combine(folder.Path, name), code);
            return folder;
        }
    }

    private sealed class ScratchFolder(DirectoryInfo directory) : IDisposable
    {
        public string Path => directory.FullName;

        public void Dispose()
        {
            try { directory.Delete(recursive: true); }
            catch (IOException) { /* an owned scratch folder: the next Arc process sweeps it */ }
        }
    }

    private static string WithoutLine(string text, string containing)
    {
        var kept = text.Split('\n').Where(l => !l.Contains(containing, StringComparison.Ordinal)).ToList();
        Assert.Equal(text.Split('\n').Length - 1, kept.Count); // exactly one line removed
        return string.Join('\n', kept);
    }

    // As a user builds: Release, ArcRoot pointing at this repository. Two differences, neither in what is tested: the
    // repository's projects are not built again (the build of this test built them, and their outputs are hard-linked
    // into the folder these tests run from: a rebuild after an edit would rewrite assemblies this process has loaded),
    // and hard links keep libtorch's gigabyte out of the copy (the same file system as the NuGet cache here). No build
    // servers or reused nodes outlive the test.
    private static Task<Outcome> BuildAsync(string folder)
        => DotnetAsync(folder, "build", "-c", "Release", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false",
            "-p:BuildProjectReferences=false", $"-p:ArcRoot={RepositoryFiles.Root}", "-p:CreateHardLinksForCopyLocalIfPossible=true");

    private static Task<Outcome> RunAsync(string folder)
        => DotnetAsync(folder, System.IO.Path.Combine(folder, "bin", "Release", "net10.0", $"{ProjectName}.dll"));

    private sealed record Outcome(int Exit, string Stdout, string Stderr)
    {
        public string Output => $"exit {Exit}{Environment.NewLine}{Stdout}{Environment.NewLine}{Stderr}";
    }

    private static async Task<Outcome> DotnetAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo(WorkerProcess.DotnetHost())
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        try
        {
            await process.WaitForExitAsync(Ct).WaitAsync(HangGuard, Ct);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }

    // Whether the libstdc++ this system's loader finds defines the version (its version names are plain strings in it).
    private static bool SystemLibStdCxxHas(string version)
    {
        string[] candidates = ["/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        string library = candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"no libstdc++.so.6 in {string.Join(", ", candidates)}: cannot tell what to expect");
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        return File.ReadAllBytes(library).AsSpan().IndexOf(needle) >= 0;
    }
}
