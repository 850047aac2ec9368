using System.Runtime.InteropServices;

namespace Arc.Torch;

/// <summary>
/// Keeps glibc's allocator from handing tensor memory back to the kernel between steps, by fixing its thresholds
/// (<c>mallopt</c>) before torch loads: blocks under <see cref="MmapThresholdBytes"/> come from its heaps, a heap keeps up
/// to <see cref="TrimThresholdBytes"/> free at its top, and the process uses at most <see cref="ArenaLimit"/> heaps.
/// </summary>
/// <remarks>
/// <para>
/// Why: libtorch allocates every tensor with <c>malloc</c>. glibc serves a block at or over its mmap threshold with a
/// fresh <c>mmap</c> and unmaps it when freed, and a heap whose free top passes the trim threshold is shrunk; either way
/// the next step faults the pages back in one by one. On this project's 2-core machines (PVM guests) a page fault costs
/// about 10 µs, so touching a fresh 1.6 MB tensor costs ~4 ms where reusing one costs 40 µs. Left to itself, glibc
/// starts at 128 KiB and raises the thresholds to the size of each mapped block it frees; in a process that only ever
/// sees one batch size — an <c>Arc.Worker</c> fitting 64 MNIST digits, 200 KiB a tensor — they settled at the tensors'
/// size and every step mapped and trimmed its tensors afresh (200–260 page faults a step, 15 % of the worker's time).
/// </para>
/// <para>
/// The values: 32 MiB and 64 MiB are where glibc's own adaptation stops (its largest mmap threshold, and twice that for
/// trimming), fixed from the start. A first fix at 1 MiB / 2 MiB mended the MLP above but left every tensor over 1 MiB
/// on its own mapping: the MNIST sample's CNN fitting 64 digits (1.6 MB activations) faulted ~1,960 pages a step and
/// took 24–30 ms; at 32 / 64 MiB it faults ~6 and takes 6 ms (64 rows) and 19 instead of 160–210 ms (256 rows). Keeping
/// more memory per heap needs fewer heaps: glibc makes up to 8 per core, one per thread that finds the others busy, and
/// each would keep its own free top — a worker running eight 4 MiB fits at once peaked 300–430 MiB above its warmed-up
/// peak with 32 / 64 MiB and no limit, 130 MiB with <see cref="ArenaLimit"/> heaps (1 MiB / 2 MiB: 110–240 MiB). Torch
/// steps of one model run one at a time (and, without Arc's TorchSharp fix, of all models in the process: TorchGcSafety), so
/// a few heaps are no point of contention for a worker serving one model.
/// Tensors over 32 MiB still get their own mappings, as with glibc's defaults.
/// </para>
/// <para>
/// Arc leaves the allocator alone where the user chose: any <c>MALLOC_*_</c> variable or <c>glibc.malloc</c> tunable
/// set, another allocator preloaded (jemalloc, tcmalloc, mimalloc), or <c>ARC_MALLOC_TUNING=off</c>. Only glibc on
/// Linux is tuned. The worker program applies the same tuning first thing, before any heap but the first exists.
/// </para>
/// </remarks>
internal static class NativeHeapTuning
{
    /// <summary>How <see cref="Apply"/>'s text starts when glibc refused one of the settings.</summary>
    public const string RefusedPrefix = "glibc refused";

    /// <summary>The variable that turns the tuning off (<c>off</c>, <c>0</c> or <c>false</c>).</summary>
    public const string OptOutVariable = "ARC_MALLOC_TUNING";

    /// <summary>Blocks under this size come from glibc's heaps, larger ones from their own mappings (glibc's largest).</summary>
    public const int MmapThresholdBytes = 32 << 20;

    /// <summary>A heap returns the free memory at its top to the kernel only beyond this much.</summary>
    public const int TrimThresholdBytes = 64 << 20;

    /// <summary>The most heaps (arenas) glibc may make: each keeps up to <see cref="TrimThresholdBytes"/> free.</summary>
    public const int ArenaLimit = 2;

    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;
    private const int M_ARENA_MAX = -8;

    private static readonly string[] UserAllocatorVariables =
        ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_", "MALLOC_ARENA_MAX"];

    private static readonly string[] OtherAllocators = ["jemalloc", "tcmalloc", "mimalloc"];

    private static readonly Lazy<string> Outcome = new(TryApply);

    /// <summary>Tunes the allocator the first time it is called and says what it did (the same text on every call).</summary>
    public static string Apply() => Outcome.Value;

    /// <summary>Why the allocator is left alone in an environment, or null when Arc may tune it.</summary>
    public static string? ReasonToLeaveAlone(Func<string, string?> variable)
    {
        if (variable(OptOutVariable) is { } optOut && optOut.Trim().ToLowerInvariant() is "off" or "0" or "false")
            return $"{OptOutVariable}={optOut}";
        foreach (string name in UserAllocatorVariables)
            if (!string.IsNullOrEmpty(variable(name))) return $"{name} is set";
        if (variable("GLIBC_TUNABLES") is { } tunables && tunables.Contains("glibc.malloc.", StringComparison.Ordinal))
            return "GLIBC_TUNABLES sets glibc.malloc";
        if (variable("LD_PRELOAD") is { } preload && OtherAllocators.FirstOrDefault(a => preload.Contains(a, StringComparison.OrdinalIgnoreCase)) is { } other)
            return $"{other} is preloaded";
        return null;
    }

    private static string TryApply()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux: left alone";
        if (ReasonToLeaveAlone(Environment.GetEnvironmentVariable) is { } reason) return $"left alone: {reason}";
        // glibc alone exports gnu_get_libc_version; other C libraries' allocators follow other rules.
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc)
            || !NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _)
            || !NativeLibrary.TryGetExport(libc, "mallopt", out var malloptAddress))
            return "not glibc: left alone";
        unsafe
        {
            var mallopt = (delegate* unmanaged<int, int, int>)malloptAddress;
            bool mmap = mallopt(M_MMAP_THRESHOLD, MmapThresholdBytes) == 1; // 1: accepted
            bool trim = mallopt(M_TRIM_THRESHOLD, TrimThresholdBytes) == 1;
            bool arenas = mallopt(M_ARENA_MAX, ArenaLimit) == 1;
            return mmap && trim && arenas
                ? $"tuned: mmap threshold {MmapThresholdBytes >> 20} MiB, trim threshold {TrimThresholdBytes >> 20} MiB, at most {ArenaLimit} arenas"
                : $"{RefusedPrefix}: mmap threshold {Said(mmap)}, trim threshold {Said(trim)}, arena limit {Said(arenas)}";
        }
    }

    private static string Said(bool accepted) => accepted ? "set" : "refused";
}
