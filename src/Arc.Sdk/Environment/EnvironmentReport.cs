using System.Text;

namespace Arc.Sdk;

/// <summary>
/// Facts about the machine a model runs on, sampled once: what a run needs to be reproduced or compared
/// (OS, CPUs, memory, .NET, TorchSharp/libtorch, CUDA and GPUs). Take one with <see cref="ArcEnvironment.Sample"/>.
/// </summary>
public sealed record EnvironmentReport
{
    /// <summary>Operating system description, e.g. "Debian GNU/Linux 12 (bookworm)".</summary>
    public required string OperatingSystem { get; init; }

    /// <summary>Process architecture, e.g. "X64".</summary>
    public required string Architecture { get; init; }

    /// <summary>Logical processors available to this process.</summary>
    public required int ProcessorCount { get; init; }

    /// <summary>Processor model name, when the OS says (Linux /proc/cpuinfo).</summary>
    public string? ProcessorName { get; init; }

    /// <summary>Physical memory in bytes visible to the runtime (container limits included).</summary>
    public required long MemoryBytes { get; init; }

    /// <summary>.NET runtime description, e.g. ".NET 10.0.0".</summary>
    public required string DotNetVersion { get; init; }

    /// <summary>TorchSharp package version, e.g. "0.107.0".</summary>
    public string? TorchSharpVersion { get; init; }

    /// <summary>The libtorch version TorchSharp loaded, e.g. "2.10.0"; null when libtorch could not be loaded.</summary>
    public string? LibTorchVersion { get; init; }

    /// <summary>Why libtorch could not be loaded, when it could not.</summary>
    public string? LibTorchError { get; init; }

    /// <summary>Whether CUDA is usable from TorchSharp.</summary>
    public bool CudaAvailable { get; init; }

    /// <summary>CUDA devices TorchSharp sees.</summary>
    public int CudaDeviceCount { get; init; }

    /// <summary>GPUs the NVIDIA driver reports (names and memory), whether or not CUDA loaded.</summary>
    public IReadOnlyList<GpuInfo> Gpus { get; init; } = [];

    /// <summary>Threads libtorch uses for CPU work.</summary>
    public int? TorchThreads { get; init; }

    /// <summary>The device <c>ArcDevice.Auto</c> picks here: "cuda" or "cpu".</summary>
    public string DefaultDevice => CudaAvailable && CudaDeviceCount > 0 ? "cuda" : "cpu";

    /// <summary>A readable multi-line summary, one fact a line.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        void Line(string key, object? value) => text.Append(key.PadRight(13)).Append(' ').AppendLine(value?.ToString() ?? "-");
        Line("os", OperatingSystem);
        Line("arch", Architecture);
        Line("cpu", ProcessorName is null ? $"{ProcessorCount} logical" : $"{ProcessorCount} × {ProcessorName}");
        Line("memory", $"{MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB");
        Line("dotnet", DotNetVersion);
        Line("torchsharp", TorchSharpVersion);
        Line("libtorch", LibTorchVersion ?? $"not loaded ({LibTorchError})");
        Line("torch threads", TorchThreads);
        Line("cuda", CudaAvailable ? $"available, {CudaDeviceCount} device(s)" : "not available");
        foreach (var gpu in Gpus)
            Line($"gpu {gpu.Index}", gpu.MemoryBytes is long m ? $"{gpu.Name}, {m / (1024.0 * 1024 * 1024):F1} GiB" : gpu.Name);
        Line("device", DefaultDevice);
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Format();
}
