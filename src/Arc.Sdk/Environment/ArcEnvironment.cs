using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Arc.Sdk;

/// <summary>Samples the facts of the machine (seed 001's "environment" module): see <see cref="EnvironmentReport"/>.</summary>
public static class ArcEnvironment
{
    private static readonly Lazy<EnvironmentReport> Cached = new(SampleNow, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The facts of this machine, sampled once per process (GPU discovery runs a short driver query).</summary>
    public static EnvironmentReport Sample() => Cached.Value;

    private static EnvironmentReport SampleNow()
    {
        string? libtorch = null, libtorchError = null;
        bool cuda = false;
        int cudaCount = 0;
        int? threads = null;
        try
        {
            libtorch = torch.__version__;
            cuda = torch.cuda.is_available();
            cudaCount = cuda ? torch.cuda.device_count() : 0;
            threads = torch.get_num_threads();
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            libtorchError = (Arc.Torch.TorchNativeLibrary.Diagnose(e) ?? e.InnerException ?? e).Message;
        }

        return new EnvironmentReport
        {
            OperatingSystem = ReadOsName() ?? RuntimeInformation.OSDescription,
            Architecture = RuntimeInformation.ProcessArchitecture.ToString(),
            ProcessorCount = Environment.ProcessorCount,
            ProcessorName = ReadCpuName(),
            MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            DotNetVersion = RuntimeInformation.FrameworkDescription,
            TorchSharpVersion = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0],
            LibTorchVersion = libtorch,
            LibTorchError = libtorchError,
            CudaAvailable = cuda,
            CudaDeviceCount = cudaCount,
            Gpus = QueryNvidiaGpus(),
            TorchThreads = threads,
        };
    }

    private static string? ReadOsName()
    {
        const string osRelease = "/etc/os-release";
        if (!File.Exists(osRelease)) return null;
        foreach (var line in File.ReadLines(osRelease))
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                return line["PRETTY_NAME=".Length..].Trim('"');
        return null;
    }

    private static string? ReadCpuName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo)) return null;
        foreach (var line in File.ReadLines(cpuInfo))
            if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and > 0)
                return line[(colon + 1)..].Trim();
        return null;
    }

    /// <summary>
    /// TorchSharp has no API for device names, so ask the NVIDIA driver's own tool; no driver, no GPUs.
    /// Bounded to a few seconds so a wedged driver cannot stall a training run.
    /// </summary>
    internal static IReadOnlyList<GpuInfo> QueryNvidiaGpus()
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", "--query-gpu=index,name,memory.total --format=csv,noheader,nounits")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null) return [];
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
                return [];
            }
            return process.ExitCode == 0 ? ParseNvidiaSmi(output.Result) : [];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return []; // nvidia-smi is not installed: no NVIDIA driver here
        }
    }

    /// <summary>Parses <c>nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader,nounits</c> (memory in MiB).</summary>
    internal static IReadOnlyList<GpuInfo> ParseNvidiaSmi(string csv)
    {
        var gpus = new List<GpuInfo>();
        foreach (var raw in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length < 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var index)) continue;
            long? memory = long.TryParse(parts[2], CultureInfo.InvariantCulture, out var mib) ? mib * 1024 * 1024 : null;
            gpus.Add(new GpuInfo(index, parts[1], memory));
        }
        return gpus;
    }
}
