using System.Globalization;

namespace Arc.Testing.Fuzz;

/// <summary>A worker process's resident memory now and at its peak, from <c>/proc/&lt;pid&gt;/status</c> (Linux).</summary>
/// <param name="RssKiB">VmRSS: resident now.</param>
/// <param name="PeakRssKiB">VmHWM: the most it has been resident.</param>
internal readonly record struct WorkerMemory(long RssKiB, long PeakRssKiB)
{
    public double RssMiB => RssKiB / 1024.0;

    public double PeakRssMiB => PeakRssKiB / 1024.0;

    /// <summary>The memory of process <paramref name="pid"/>.</summary>
    /// <exception cref="InvalidOperationException">The process is gone, or this is not Linux.</exception>
    public static WorkerMemory Of(int pid)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/status");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"cannot read /proc/{pid}/status (is the worker gone, or is this not Linux?): {e.Message}", e);
        }
        return new WorkerMemory(Field(lines, "VmRSS:"), Field(lines, "VmHWM:"));
    }

    /// <summary>Whether <paramref name="pid"/> is alive: its /proc entry exists and it is not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Field(string[] lines, string name)
    {
        string line = lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"/proc status has no {name} line");
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
