using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arc.Artifacts;

/// <summary>A NuGet package a module's assemblies use, as the build's <c>.deps.json</c> names it.</summary>
/// <param name="Id">The package id.</param>
/// <param name="Version">The package version.</param>
public sealed record NuGetPackage(string Id, string Version);

/// <summary>
/// <c>requirements.json</c> in a model archive's module dir: the .NET form of seed 004's <c>requirements.txt</c>. It
/// records every NuGet package the module's entry assemblies use (from their <c>.deps.json</c>), and the large ones the
/// archive does not carry (<c>libtorch-*</c>, anything of 16 MiB or more): those are linked from the local NuGet folder
/// when the archive is opened, after checking each file's size.
/// </summary>
public sealed record ModuleRequirements
{
    /// <summary>The file's name in the module dir.</summary>
    public const string FileName = "requirements.json";

    /// <summary>Every NuGet package the entry assemblies use, sorted by id.</summary>
    public IReadOnlyList<NuGetPackage> Packages { get; init; } = [];

    /// <summary>The packages whose files are not in the archive, with the files needed from each.</summary>
    public IReadOnlyList<PackageRequirement> External { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 32,
    };

    /// <summary>The JSON bytes (indented, a final newline).</summary>
    public byte[] ToJson() => [.. JsonSerializer.SerializeToUtf8Bytes(this, Options), (byte)'\n'];

    /// <summary>Reads and checks the file; <see cref="ArtifactFormatException"/> naming <paramref name="source"/> when it is not valid.</summary>
    public static ModuleRequirements Parse(ReadOnlySpan<byte> json, string source)
    {
        ModuleRequirements? requirements;
        try
        {
            requirements = JsonSerializer.Deserialize<ModuleRequirements>(json, Options);
        }
        catch (JsonException e)
        {
            throw new ArtifactFormatException(source, $"{FileName} is not valid: {e.Message}", e);
        }
        if (requirements is null || requirements.Packages is null || requirements.External is null)
            throw new ArtifactFormatException(source, $"{FileName} is null or lacks its lists");
        foreach (var package in requirements.External)
        {
            if (package is not { Id.Length: > 0, Version.Length: > 0, Files: not null } || !SavedArtifactConfig.IsInnerPath(package.Folder)
                || package.Files.Any(f => f is null || !SavedArtifactConfig.IsInnerPath(f.OutputPath) || !SavedArtifactConfig.IsInnerPath(f.PackagePath) || f.Size < 0))
                throw new ArtifactFormatException(source, $"{FileName}: external package '{package?.Id}' has no id, version or files, or names a path outside its folder");
        }
        return requirements;
    }
}
