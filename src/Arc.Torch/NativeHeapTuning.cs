using System.Runtime.InteropServices;

namespace Arc.Torch;

/// <summary>
/// Keeps glibc's allocator from handing each training step's tensor memory back to the kernel, by fixing its
/// thresholds (<c>mallopt</c>) before torch loads: blocks under <see cref="MmapThresholdBytes"/> come from its heaps,
/// and a heap keeps up to <see cref="TrimThresholdBytes"/> free at its top.
/// </summary>
/// <remarks>
/// <para>
/// Why: libtorch allocates every tensor with <c>malloc</c>. glibc serves a block at or over its mmap threshold
/// (128 KiB at start) with a fresh <c>mmap</c>; freeing such a block raises the threshold to its size and the trim
/// threshold to twice that, and a thread's heap whose free top passes the trim threshold is shrunk with
/// <c>madvise</c>. A training step frees all its tensors at its end, so in a process that only ever sees one batch
/// size — an <c>Arc.Worker</c> fitting 64 MNIST digits, 200 KiB a tensor — the thresholds settled at the tensors'
/// size and every step mapped and trimmed them afresh, then faulted the pages back in one by one. Measured on this
/// project's 2-core machines (a PVM guest, where a page fault is dear): ~2 <c>mmap</c>/<c>munmap</c>, ~3
/// <c>madvise</c> and ~4 <c>mprotect</c> calls and 200–260 page faults per step, 15 % of the worker's time in page
/// faults; the epoch through the worker took 4.8–6.8 ms a step untuned, 2.7–3.3 ms tuned (interleaved runs, load 4–6).
/// </para>
/// <para>
/// The values: 1 MiB covers a batch tensor of 64 MNIST digits (200 KiB) or 64 CIFAR images (768 KiB), and the
/// weights of layers up to 256K parameters; larger tensors keep their own mappings, as glibc gives them at first. The
/// worker above then faulted ~20 pages a step. Higher fixed thresholds kept more memory: at 4 MiB (trim 8 MiB) a worker
/// running eight 4 MiB fits at once peaked 70–120 MiB above its untuned peak, at 32 MiB (trim 64 MiB) 150–180 MiB; at
/// 1 MiB (trim 2 MiB) it peaked where the untuned one did. Starting glibc's adaptive thresholds higher (by freeing one
/// large block) instead of fixing them did not stop the faults. Arc
/// leaves the allocator alone where the user chose: any <c>MALLOC_*_</c> variable or <c>glibc.malloc</c> tunable
/// set, another allocator preloaded (jemalloc, tcmalloc, mimalloc), or <c>ARC_MALLOC_TUNING=off</c>. Only glibc on
/// Linux is tuned.
/// </para>
/// </remarks>
internal static class NativeHeapTuning
{
    /// <summary>The variable that turns the tuning off (<c>off</c>, <c>0</c> or <c>false</c>).</summary>
    public const string OptOutVariable = "ARC_MALLOC_TUNING";

    /// <summary>Blocks under this size come from glibc's heaps, larger ones from their own mappings.</summary>
    public const int MmapThresholdBytes = 1 << 20;

    /// <summary>A heap returns the free memory at its top to the kernel only beyond this much.</summary>
    public const int TrimThresholdBytes = 2 << 20;

    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

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
            return mmap && trim
                ? $"tuned: mmap threshold {MmapThresholdBytes >> 20} MiB, trim threshold {TrimThresholdBytes >> 20} MiB"
                : $"glibc refused: mmap threshold {(mmap ? "set" : "refused")}, trim threshold {(trim ? "set" : "refused")}";
        }
    }
}
