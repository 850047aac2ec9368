using System.Formats.Tar;
using System.IO.Compression;
using Arc.Artifacts;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Deploy;

/// <summary>The pieces of the image builder on their own: layer paths, deterministic layers, roll-forward, ldd output, app files.</summary>
public sealed class ImagePartsTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _directory = TestScratch.Create().FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteFile(string relative, string text)
    {
        string path = Path.Combine(_directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("/usr/lib/x", "usr/lib/x")]
    [InlineData("app/a.dll", "app/a.dll")]
    [InlineData("/tmp/", "tmp")]
    public void Image_paths_become_relative(string given, string expected) => Assert.Equal(expected, LayerContent.Normalize(given));

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("app/../../x")]
    [InlineData("app//x")]
    [InlineData("app/./x")]
    [InlineData("/")]
    public void Paths_that_could_leave_the_root_are_refused(string given)
        => Assert.Throws<ArgumentException>(() => LayerContent.Normalize(given));

    [Fact]
    public void A_path_cannot_be_a_file_and_hold_entries_below_it()
    {
        var layer = new LayerContent("test").AddFile("app/x", WriteFile("x", "x"));
        var e = Assert.Throws<ArgumentException>(() => layer.AddFile("app/x/y", WriteFile("y", "y")));
        Assert.Contains("'app/x' as a file", e.Message);
        Assert.Throws<ArgumentException>(() => layer.AddFile("app/x", WriteFile("z", "z")));
    }

    [Fact]
    public async Task A_layer_depends_on_paths_and_contents_only_not_on_order_or_file_times()
    {
        string a = WriteFile("one/a.txt", "alpha");
        string b = WriteFile("one/b.bin", "beta");
        var first = await ImageLayer.WriteAsync(new LayerContent("l").AddFile("app/a.txt", a).AddFile("app/sub/b.bin", b), Path.Combine(_directory, "out1"), cancellationToken: Ct);
        File.SetLastWriteTimeUtc(a, new DateTime(2011, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var second = await ImageLayer.WriteAsync(new LayerContent("l").AddFile("app/sub/b.bin", b).AddFile("app/a.txt", a), Path.Combine(_directory, "out2"), cancellationToken: Ct);
        Assert.Equal(first.Descriptor, second.Descriptor);
        Assert.Equal(first.DiffId, second.DiffId);
        Assert.Equal(4, first.EntryCount); // app/, app/a.txt, app/sub/, app/sub/b.bin

        File.WriteAllText(b, "betA");
        var changed = await ImageLayer.WriteAsync(new LayerContent("l").AddFile("app/a.txt", a).AddFile("app/sub/b.bin", b), Path.Combine(_directory, "out3"), cancellationToken: Ct);
        Assert.NotEqual(first.DiffId, changed.DiffId);

        await using var gzip = new GZipStream(File.OpenRead(first.FilePath), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        Assert.Equal(["app/", "app/a.txt", "app/sub/", "app/sub/b.bin"], names);
    }

    [Theory]
    [InlineData("10.0.0", "Minor", "10.0.12")]
    [InlineData("10.0.0", "LatestPatch", "10.0.12")]
    [InlineData("10.1.0", "Minor", "10.2.3")]
    [InlineData("10.1.0", "LatestPatch", null)]
    [InlineData("10.0.12", "Disable", "10.0.12")]
    [InlineData("10.0.5", "Disable", null)]
    [InlineData("9.0.0", "Minor", null)]
    [InlineData("9.0.0", "Major", "10.0.12")]
    [InlineData("10.0.0", "LatestMinor", "10.2.3")]
    [InlineData("9.0.0", "LatestMajor", "11.0.1")]
    public void Framework_versions_roll_forward_as_the_host_does(string asked, string policy, string? expected)
    {
        Version[] installed = [new(8, 0, 20), new(10, 0, 1), new(10, 0, 12), new(10, 2, 0), new(10, 2, 3), new(11, 0, 1)];
        var chosen = new FrameworkReference("Microsoft.NETCore.App", Version.Parse(asked), policy).Choose(installed);
        Assert.Equal(expected is null ? null : Version.Parse(expected), chosen);
    }

    [Fact]
    public void The_worker_runtimeconfig_asks_for_the_runtime_and_aspnetcore()
    {
        var frameworks = FrameworkReference.Read(Path.Combine(AppContext.BaseDirectory, "Arc.Worker.runtimeconfig.json"));
        Assert.Equal(["Microsoft.NETCore.App", "Microsoft.AspNetCore.App"], frameworks.Select(f => f.Name));
        Assert.All(frameworks, f => Assert.Equal("Minor", f.RollForward));
    }

    [Fact]
    public void Ldd_output_gives_library_paths_and_names_what_is_missing()
    {
        const string output = """
            /opt/a.so:
            	linux-vdso.so.1 (0x00007ffacdf81000)
            	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007ffacdc00000)
            	libtorch.so => not found
            	libfoo.so.2 => not found
            	/lib64/ld-linux-x86-64.so.2 (0x00007ffacdf83000)
            /opt/b.so:
            	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007ffacda1e000)
            /opt/static:
            	not a dynamic executable
            """;
        var libraries = new SortedSet<string>(StringComparer.Ordinal);
        var unresolved = new SortedSet<string>(StringComparer.Ordinal);
        ElfDependencies.Parse(output, null, libraries, unresolved, new HashSet<string> { "libtorch.so" });
        Assert.Equal(["/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/ld-linux-x86-64.so.2"], libraries);
        Assert.Equal(["libfoo.so.2 (needed by /opt/a.so)"], unresolved);
    }

    [Fact]
    public async Task Ldd_finds_the_c_library_of_the_dotnet_host()
    {
        string host = Path.Combine(DotnetRuntimeFiles.CurrentRoot(), "dotnet");
        var found = await ElfDependencies.ResolveAsync([host], new HashSet<string>(), Ct);
        Assert.Contains(found.Libraries, path => Path.GetFileName(path) == "libc.so.6");
        Assert.Empty(found.Unresolved);
    }

    [Fact]
    public void The_app_bundle_keeps_this_platforms_runtime_assets_and_drops_natives_when_asked()
    {
        string rid = AppBundle.LinuxRuntimeIds()[0];
        foreach (var file in new[] { "Arc.Worker.dll", "Arc.Worker.runtimeconfig.json", "Arc.Worker.deps.json", "Model.dll",
                     $"runtimes/{rid}/native/libx.so", "runtimes/win-x64/native/x.dll", "runtimes/osx/native/libx.dylib",
                     "runtimes/unix/lib/net10.0/Y.dll" })
            WriteFile(Path.Combine("app", file), file);
        string app = Path.Combine(_directory, "app");

        var all = AppBundle.Collect(app, includeNativeLibraries: true);
        Assert.Equal([$"runtimes/{rid}/native/libx.so", "runtimes/unix/lib/net10.0/Y.dll"], all.RuntimeSpecificFiles.Select(all.Relative));
        Assert.Equal(["Arc.Worker.deps.json", "Arc.Worker.dll", "Arc.Worker.runtimeconfig.json", "Model.dll"], all.AppFiles.Select(all.Relative));
        Assert.Equal([$"runtimes/{rid}/native/libx.so"], all.NativeLibraries().Select(all.Relative));

        var managedOnly = AppBundle.Collect(app, includeNativeLibraries: false);
        Assert.Equal(["runtimes/unix/lib/net10.0/Y.dll"], managedOnly.RuntimeSpecificFiles.Select(managedOnly.Relative));

        File.Delete(Path.Combine(app, "Arc.Worker.dll"));
        var e = Assert.Throws<FileNotFoundException>(() => AppBundle.Collect(app, includeNativeLibraries: true));
        Assert.Contains("reference the Arc.Worker project", e.Message);
    }
}
