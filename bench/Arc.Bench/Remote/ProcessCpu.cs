using System.Globalization;

namespace Arc.Bench.Remote;

/// <summary>
/// CPU time a process has used, in nanoseconds, from Linux's per-thread scheduler statistics
/// (<c>/proc/PID/task/*/schedstat</c>): finer than the 10 ms ticks of <c>/proc/PID/stat</c>, so a block of a few
/// hundred calls can be charged its own CPU. On a loaded machine wall latency mostly measures waiting for a core;
/// CPU per call is what a layer really costs. Null where the files do not exist (not Linux).
/// </summary>
public static class ProcessCpu
{
    /// <summary>Nanoseconds of CPU the threads of process <paramref name="pid"/> alive now have used, or null.</summary>
    public static long? Nanoseconds(int pid)
    {
        string tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks)) return null;
        long total = 0;
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                string line = File.ReadAllText(Path.Combine(task, "schedstat"));
                total += long.Parse(line.AsSpan(0, line.IndexOf(' ')), CultureInfo.InvariantCulture);
            }
            catch (IOException) { } // the thread exited meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }
}
