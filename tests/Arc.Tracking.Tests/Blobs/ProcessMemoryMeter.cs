using System.Globalization;

namespace Arc.Tracking.Tests;

/// <summary>
/// How much a process's resident memory grew at its peak during a measurement. Linux keeps the peak resident set
/// (VmHWM in /proc/&lt;pid&gt;/status); writing "5" to /proc/&lt;pid&gt;/clear_refs resets it to the current resident
/// set, so the peak after that belongs to the measurement alone. Resident memory counts everything the process holds:
/// managed heap including garbage not yet collected, native buffers of sockets and TLS, the runtime itself — what a
/// server's operator sees and pays for. The managed heap alone would miss native buffers, and a sample of it would miss
/// a short peak. Page cache of files read or written is not resident memory of the process.
/// </summary>
internal sealed class ProcessMemoryMeter
{
    readonly int _pid;
    readonly long _baselineRss;

    ProcessMemoryMeter(int pid, long baselineRss)
    {
        _pid = pid;
        _baselineRss = baselineRss;
    }

    /// <summary>Starts measuring process <paramref name="pid"/> (this process by default) after collecting this process's garbage.</summary>
    public static ProcessMemoryMeter Start(int? pid = null)
    {
        int target = pid ?? Environment.ProcessId;
        if (target == Environment.ProcessId)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        try
        {
            File.WriteAllText($"/proc/{target}/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"cannot reset the peak resident set of process {target} (/proc/{target}/clear_refs: {e.Message}); the memory tests need Linux 4.0+ and write access to it", e);
        }
        return new ProcessMemoryMeter(target, Read(target, "VmRSS"));
    }

    /// <summary>Resident bytes when the measurement started.</summary>
    public long BaselineBytes => _baselineRss;

    /// <summary>The peak resident bytes since the start, less the resident bytes at the start.</summary>
    public long PeakGrowthBytes => Read(_pid, "VmHWM") - _baselineRss;

    static long Read(int pid, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            string kilobytes = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no {field} line");
    }
}
