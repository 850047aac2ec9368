using System.Text.Json;

namespace Arc.Artifacts;

/// <summary>A shared framework an app asks for in its <c>runtimeconfig.json</c>, and how far its version may roll forward.</summary>
/// <param name="Name">e.g. <c>Microsoft.NETCore.App</c>.</param>
/// <param name="Version">The lowest version asked for.</param>
/// <param name="RollForward">The host's roll-forward policy (<c>Minor</c> when the file says nothing).</param>
internal sealed record FrameworkReference(string Name, Version Version, string RollForward)
{
    /// <summary>
    /// The frameworks a <c>runtimeconfig.json</c> names (<c>runtimeOptions.framework</c> or <c>runtimeOptions.frameworks</c>).
    /// A self-contained app (<c>includedFrameworks</c>) carries its runtime itself and is refused: it needs no runtime layer
    /// and is not what the Arc worker is.
    /// </summary>
    public static IReadOnlyList<FrameworkReference> Read(string runtimeConfigPath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(runtimeConfigPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{runtimeConfigPath} is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("runtimeOptions", out var options) || options.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{runtimeConfigPath} has no runtimeOptions object");
            if (options.TryGetProperty("includedFrameworks", out _))
                throw new NotSupportedException($"{runtimeConfigPath} describes a self-contained app; build the worker framework-dependent");
            string rollForward = options.TryGetProperty("rollForward", out var policy) && policy.ValueKind == JsonValueKind.String
                ? policy.GetString()! : "Minor";
            var result = new List<FrameworkReference>();
            if (options.TryGetProperty("framework", out var single)) result.Add(ReadOne(single, rollForward, runtimeConfigPath));
            if (options.TryGetProperty("frameworks", out var many))
            {
                if (many.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{runtimeConfigPath}: runtimeOptions.frameworks must be an array");
                foreach (var framework in many.EnumerateArray()) result.Add(ReadOne(framework, rollForward, runtimeConfigPath));
            }
            return result;
        }
    }

    static FrameworkReference ReadOne(JsonElement element, string rollForward, string path)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String
            || !TryParseVersion(version.GetString()!, out var parsed))
            throw new InvalidDataException($"{path}: a framework entry needs a string name and a version like 10.0.0");
        if (element.TryGetProperty("rollForward", out var own) && own.ValueKind == JsonValueKind.String) rollForward = own.GetString()!;
        return new FrameworkReference(name.GetString()!, parsed, rollForward);
    }

    /// <summary>Parses <c>major.minor.patch</c>, ignoring a prerelease or build suffix.</summary>
    public static bool TryParseVersion(string text, out Version version)
    {
        int cut = text.IndexOfAny(['-', '+']);
        if (Version.TryParse(cut < 0 ? text : text[..cut], out var parsed) && parsed.Build >= 0)
        {
            version = new Version(parsed.Major, parsed.Minor, parsed.Build);
            return true;
        }
        version = new Version(0, 0, 0);
        return false;
    }

    /// <summary>
    /// The installed version the host would pick (docs: "Framework-dependent apps roll forward"): among
    /// <paramref name="installed"/>, per the roll-forward policy, the latest patch of the chosen major.minor.
    /// Null when none qualifies.
    /// </summary>
    public Version? Choose(IEnumerable<Version> installed)
    {
        var candidates = installed.Where(v => v >= Version).OrderBy(v => v).ToList();
        var sameMajor = candidates.Where(v => v.Major == Version.Major).ToList();
        var sameMinor = sameMajor.Where(v => v.Minor == Version.Minor).ToList();
        return RollForward.ToLowerInvariant() switch
        {
            "disable" => candidates.FirstOrDefault(v => v == Version),
            "latestpatch" => sameMinor.LastOrDefault(),
            "minor" => LatestPatchOfLowest(sameMinor.Count > 0 ? sameMinor : sameMajor),
            "major" => LatestPatchOfLowest(sameMinor.Count > 0 ? sameMinor : sameMajor.Count > 0 ? sameMajor : candidates),
            "latestminor" => sameMajor.LastOrDefault(),
            "latestmajor" => candidates.LastOrDefault(),
            _ => throw new InvalidDataException($"unknown rollForward policy '{RollForward}' for {Name}"),
        };
    }

    static Version? LatestPatchOfLowest(List<Version> sorted)
    {
        if (sorted.Count == 0) return null;
        var lowest = sorted[0];
        return sorted.Last(v => v.Major == lowest.Major && v.Minor == lowest.Minor);
    }
}
