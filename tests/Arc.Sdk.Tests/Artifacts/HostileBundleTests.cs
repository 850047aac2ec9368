using System.Formats.Tar;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>Bundle tars that try to write outside their directory or create special files are refused.</summary>
public sealed class HostileBundleTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _root = TestScratch.Create();

    private string BundleDir => Path.Combine(_root.FullName, "a", "b", "bundle");

    public static TheoryData<string, TarEntryType, string, string> HostileEntries => new()
    {
        { "../escape.txt", TarEntryType.RegularFile, "", "the path contains '..'" },
        { "lib/../../escape.txt", TarEntryType.RegularFile, "", "the path contains '..'" },
        { "/tmp/arc-hostile-absolute.txt", TarEntryType.RegularFile, "", "the path is absolute" },
        { "lib\\..\\escape.txt", TarEntryType.RegularFile, "", "backslash" },
        { "up", TarEntryType.SymbolicLink, "../../escape", "points outside the bundle" },
        { "etc", TarEntryType.SymbolicLink, "/etc", "points outside the bundle" },
        { "passwd", TarEntryType.HardLink, "/etc/passwd", "hard link" },
        { "null", TarEntryType.CharacterDevice, "", "CharacterDevice is not allowed" },
        { "disk", TarEntryType.BlockDevice, "", "BlockDevice is not allowed" },
        { "pipe", TarEntryType.Fifo, "", "Fifo is not allowed" },
    };

    [Theory]
    [MemberData(nameof(HostileEntries))]
    public async Task A_hostile_entry_is_refused_and_nothing_lands_outside(string name, TarEntryType type, string link, string why)
    {
        using var tar = Tar(w => w.WriteEntry(Entry(name, type, link)));

        var e = await Assert.ThrowsAsync<ArtifactFormatException>(() => BundleExtractor.ExtractAsync(tar, BundleDir, "hostile.tar", Ct));

        Assert.Contains($"bundle entry '{name}' is refused", e.Message);
        Assert.Contains(why, e.Message);
        Assert.Equal("hostile.tar", e.Reference);
        Assert.Empty(Directory.GetFileSystemEntries(BundleDir));
        Assert.Equal([Path.Combine(_root.FullName, "a")], Directory.GetFileSystemEntries(_root.FullName));
        Assert.False(File.Exists("/tmp/arc-hostile-absolute.txt"));
    }

    [Fact]
    public async Task A_file_written_through_an_inner_symbolic_link_is_refused()
    {
        using var tar = Tar(w =>
        {
            w.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "real/"));
            w.WriteEntry(Entry("alias", TarEntryType.SymbolicLink, "real"));
            w.WriteEntry(Entry("alias/file.txt", TarEntryType.RegularFile, ""));
        });
        var e = await Assert.ThrowsAsync<ArtifactFormatException>(() => BundleExtractor.ExtractAsync(tar, BundleDir, "links.tar", Ct));
        Assert.Contains("a parent directory of the path is a symbolic link", e.Message);
    }

    [Fact]
    public async Task A_path_that_appears_twice_is_refused()
    {
        using var tar = Tar(w =>
        {
            w.WriteEntry(Entry("same.dll", TarEntryType.RegularFile, ""));
            w.WriteEntry(Entry("same.dll", TarEntryType.RegularFile, ""));
        });
        var e = await Assert.ThrowsAsync<ArtifactFormatException>(() => BundleExtractor.ExtractAsync(tar, BundleDir, "twice.tar", Ct));
        Assert.Contains("appears twice", e.Message);
    }

    [Fact]
    public async Task A_saved_model_whose_bundle_is_hostile_is_refused_on_connect_before_any_worker_starts()
    {
        // A well-formed model artifact (config, weights, hyperparameters) with a hostile app bundle.
        using var model = SavedModelFixture.Registration.Create(SavedModelFixture.Hyperparameters);
        string layout = Path.Combine(_root.FullName, "layout");
        var saved = await SavedModelFixture.Registration.SaveAsync(model, SavedModelFixture.Hyperparameters, ArtifactReference.ForLayout(layout),
            cancellationToken: Ct);
        using var store = new OciLayoutStore(layout);
        var manifest = (await store.PullManifestAsync(saved.Tag!, Ct)).Manifest;
        using var hostile = Tar(w => w.WriteEntry(Entry("../../../escape.dll", TarEntryType.RegularFile, "")));
        var content = new ArtifactContent(ArcArtifactTypes.Model)
            .WithConfig(ArcArtifactTypes.ConfigMediaType, await store.ReadBlobAsync(manifest.Config, cancellationToken: Ct));
        foreach (string title in new[] { ArcArtifactTypes.Titles.Weights, ArcArtifactTypes.Titles.Hyperparameters })
            content.AddLayer(title, manifest.FindLayer(title)!.MediaType, await store.ReadBlobAsync(manifest.FindLayer(title)!, cancellationToken: Ct));
        content.AddLayer(ArcArtifactTypes.Titles.AppBundle, ArcArtifactTypes.BundleMediaType, hostile.ToArray());
        var reference = await store.PushAsync(await content.PrepareAsync(Ct), "model-workermlp-hostile", Ct);

        string cache = Path.Combine(_root.FullName, "cache");
        var e = await Assert.ThrowsAsync<ArtifactFormatException>(() => SavedModel.ConnectAsync<ImageData, ClassData>(
            reference, Target.LocalProcess, new SavedModelOptions { CacheDirectory = cache }, Ct));
        Assert.Contains("bundle entry '../../../escape.dll' is refused", e.Message);
        Assert.False(File.Exists(Path.Combine(cache, "escape.dll")));
        Assert.False(File.Exists(Path.Combine(_root.FullName, "escape.dll")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(cache, "bundles")));
    }

    [Theory]
    [InlineData("../../etc", "lib/x.so", "lib/x.so")]
    [InlineData("pkg/1.0", "../../../../etc/passwd", "x")]
    [InlineData("pkg/1.0", "lib/x.so", "/etc/cron.d/x")]
    [InlineData("/root/.ssh", "lib/x.so", "x")]
    public void A_config_whose_requirements_point_outside_is_refused(string folder, string packagePath, string outputPath)
    {
        var config = new SavedArtifactConfig
        {
            Kind = SavedArtifactConfig.ModelKind, Name = "m", Type = "T", Assembly = "M.dll", ArcVersion = "1",
            Input = new("image", "I"), Output = new("class", "O"),
            Requirements = [new PackageRequirement("pkg", "1.0", folder, [new RequiredFile(outputPath, packagePath, 1)])],
        };
        var e = Assert.Throws<ArtifactFormatException>(() => SavedArtifactConfig.Parse(config.ToJson(), "hostile-config"));
        Assert.Contains("requirement 'pkg'", e.Message);
    }

    [Theory]
    [InlineData("../M.dll")]
    [InlineData("/tmp/M.dll")]
    [InlineData("M.exe")]
    public void A_config_whose_assembly_is_not_a_bare_dll_name_is_refused(string assembly)
    {
        var config = new SavedArtifactConfig
        {
            Kind = SavedArtifactConfig.ModelKind, Name = "m", Type = "T", Assembly = assembly, ArcVersion = "1",
            Input = new("image", "I"), Output = new("class", "O"),
        };
        var e = Assert.Throws<ArtifactFormatException>(() => SavedArtifactConfig.Parse(config.ToJson(), "hostile-config"));
        Assert.Contains($"assembly '{assembly}' is not a .dll file name", e.Message);
    }

    private static UstarTarEntry Entry(string name, TarEntryType type, string link)
    {
        var entry = new UstarTarEntry(type, name);
        if (link.Length > 0) entry.LinkName = link;
        if (type == TarEntryType.RegularFile) entry.DataStream = new MemoryStream("pwned"u8.ToArray());
        return entry;
    }

    private static MemoryStream Tar(Action<TarWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true)) write(writer);
        stream.Position = 0;
        return stream;
    }

    public void Dispose() => _root.Delete(recursive: true);
}
