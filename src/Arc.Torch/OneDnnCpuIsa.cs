using System.Runtime.InteropServices;

namespace Arc.Torch;

/// <summary>
/// Caps the instruction set of oneDNN (libtorch's CPU kernels for convolutions) at AVX2 unless the user chose one, by
/// setting <c>ONEDNN_MAX_CPU_ISA=AVX2</c> in the process before the first convolution runs.
/// </summary>
/// <remarks>
/// <para>
/// Why: on an AMD EPYC with AVX-512 (Zen 5, a Firecracker/PVM guest, Linux 6.18), libtorch 2.10's oneDNN AVX-512 kernels
/// made training diverge at random: the seeded small CNN of the MNIST sample, on fixed data, got a NaN loss in 27 of 38
/// trainings (2 of 6 in one thread, <c>OMP_NUM_THREADS=1</c>), with every input batch checked finite and in range;
/// capped at AVX512_CORE, 6 of 6 failed; capped at AVX2, 6 of 6 gave the same correct losses bit for bit. Failures
/// that vary from run to run over the same inputs point at the platform (the AVX-512 register state) rather than a
/// kernel, so no test of the kernels at start-up could rule them out; AVX2 is the safe default, and its cost is the
/// AVX-512 speed-up of convolutions on hosts where it works.
/// </para>
/// <para>
/// A user who trusts their host's AVX-512 sets <c>ONEDNN_MAX_CPU_ISA</c> (or the older <c>DNNL_MAX_CPU_ISA</c>)
/// themselves, e.g. to <c>ALL</c>; Arc then leaves it alone. oneDNN reads the variable once, when it first picks a
/// kernel, with the C library's <c>getenv</c>: .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only the managed copy on Linux, so the variable is set with <c>setenv</c> too. Setting it after torch ran a
/// convolution in this process has no effect; Arc sets it before it loads torch.
/// </para>
/// </remarks>
internal static class OneDnnCpuIsa
{
    /// <summary>The variable oneDNN reads.</summary>
    public const string Variable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The variable's name before oneDNN 2.x, still read.</summary>
    public const string LegacyVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>The instruction set Arc caps oneDNN at when the user set nothing.</summary>
    public const string Default = "AVX2";

    /// <summary>Sets <see cref="Variable"/> to <see cref="Default"/> unless either variable is already set; returns the cap in effect.</summary>
    public static string Apply()
    {
        string? chosen = Environment.GetEnvironmentVariable(Variable) ?? Environment.GetEnvironmentVariable(LegacyVariable);
        if (!string.IsNullOrEmpty(chosen)) return chosen;
        Environment.SetEnvironmentVariable(Variable, Default); // for child processes started by .NET
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = NativeSetEnv(Variable, Default, overwrite: 0); // for libtorch's getenv (once, before torch loads)
        return Default;
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int NativeSetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
