using System.Runtime.InteropServices;
using System.Text.Json;

namespace Arc.Artifacts;

/// <summary>
/// How to run an image and on what platform: the parts of the OCI image configuration Arc writes. Nothing
/// time-dependent (no <c>created</c>, no history timestamps), so equal settings and layers give an equal config digest.
/// </summary>
public sealed record OciImageConfig
{
    /// <summary>The command the container runs (argv; no shell is involved).</summary>
    public required IReadOnlyList<string> Entrypoint { get; init; }

    /// <summary>Environment variables, <c>NAME=value</c>, in the order given.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary>The working directory of the entrypoint, or null for <c>/</c>.</summary>
    public string? WorkingDir { get; init; }

    /// <summary>The user (and group) the entrypoint runs as, e.g. <c>65534:65534</c>; null for the runtime's default (root).</summary>
    public string? User { get; init; }

    /// <summary>Labels (sorted by key when written).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The GOARCH-style architecture (<c>amd64</c>, <c>arm64</c>).</summary>
    public string Architecture { get; init; } = CurrentArchitecture();

    /// <summary>The operating system; always <c>linux</c> for Arc's images.</summary>
    public string Os { get; init; } = "linux";

    /// <summary>The architecture name OCI uses for this machine's processor.</summary>
    public static string CurrentArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
        var other => throw new PlatformNotSupportedException($"no OCI architecture name is known for {other}"),
    };

    /// <summary>The config JSON for an image whose layers have <paramref name="diffIds"/> (bottom layer first).</summary>
    public byte[] ToJson(IEnumerable<Artifacts.OciDigest> diffIds)
    {
        ArgumentNullException.ThrowIfNull(diffIds);
        using var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            writer.WriteStartObject();
            writer.WriteString("architecture", Architecture);
            writer.WriteStartObject("config");
            WriteStrings(writer, "Entrypoint", Entrypoint);
            if (Env.Count > 0) WriteStrings(writer, "Env", Env);
            if (Labels.Count > 0)
            {
                writer.WriteStartObject("Labels");
                foreach (var (key, value) in Labels.OrderBy(pair => pair.Key, StringComparer.Ordinal)) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            if (User is not null) writer.WriteString("User", User);
            if (WorkingDir is not null) writer.WriteString("WorkingDir", WorkingDir);
            writer.WriteEndObject();
            writer.WriteString("os", Os);
            writer.WriteStartObject("rootfs");
            writer.WriteString("type", "layers");
            WriteStrings(writer, "diff_ids", diffIds.Select(id => id.ToString()));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }
}
