using System.Reflection;
using System.Runtime;
using Arc.Types;
using TorchSharp;
using static TorchSharp.torch;

namespace Arc.Torch;

/// <summary>
/// Says whether the TorchSharp this process runs survives a garbage collection during a native call, and where it
/// does not, keeps collections away from torch steps: batch (non-concurrent) GC and one torch step at a time in the
/// process.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns numbers into <c>Scalar</c> objects implicitly (<c>t.add_(1e-8)</c>, inside every optimizer
/// step and many functional ops) and hands their raw handles to native code without keeping the objects alive
/// (upstream: dotnet/TorchSharp PR 1496). A collection that runs while such a call is in flight can finalize the
/// Scalar and free the value libtorch is still reading; training then dies at random with "Expected false to be true"
/// or "Unknown scalar type". The CNN in tests/Arc.TorchStressProbe crashes that way within seconds when a
/// second thread forces collections.
/// <para>
/// The fix is in Arc's build (build/KeepTorchSharpArgumentsAlive.cs): it marks every method of the copied
/// TorchSharp.dll that calls libtorch <c>NoOptimization</c>, and unoptimized code keeps its arguments and locals alive
/// to the end of the method, so <c>add_(Scalar)</c>'s Scalar lives until its native call returns. With the mark
/// (<see cref="ArgumentsKeptAlive"/>) the same stress run passes, and nothing here intervenes: the GC mode is the
/// application's, each model takes its own lock, and Arc's worker decodes the next batch while the current one fits.
/// A few TorchSharp methods hand libtorch a Scalar they never store (docs/torchsharp-scalars.md lists them; the mark
/// cannot cover those).
/// </para>
/// <para>
/// Without the mark (a TorchSharp loaded from its NuGet folder, as in a notebook's own process) the old defence stays:
/// the first model switches the process to <see cref="GCLatencyMode.Batch"/> (background collections run beside the
/// training thread; measured: the MNIST sample's training crashed in about half of the runs with them and in none
/// without), torch models take their steps one at a time (<see cref="StepLock"/>), and a worker decodes only between
/// fits (<see cref="TorchSupervisedModel{X, Y}.ToleratesCollectionsDuringSteps"/>), so the only collections left during
/// a step are those other application threads trigger.
/// </para>
/// </remarks>
internal static class TorchGcSafety
{
    /// <summary>
    /// Whether this process's TorchSharp carries Arc's build mark, read from one method it marks
    /// (<c>Tensor.add_(Tensor, Scalar)</c>, which every Adam step calls).
    /// </summary>
    public static bool ArgumentsKeptAlive { get; } =
        typeof(Tensor).GetMethod(nameof(Tensor.add_), [typeof(Tensor), typeof(Scalar)]) is { } probe
        && probe.MethodImplementationFlags.HasFlag(MethodImplAttributes.NoOptimization);

    private static readonly Lock ProcessGate = new();

    private static int _applied;

    /// <summary>
    /// The lock a model's Fit, Predict and weight loads take: <paramref name="own"/> where TorchSharp keeps its arguments
    /// alive, else one lock for every torch model in the process (another model's step allocating could start a
    /// collection while this one is inside libtorch).
    /// </summary>
    public static Lock StepLock(Lock own) => ArgumentsKeptAlive ? own : ProcessGate;

    /// <summary>
    /// Without the mark, switches the process to batch GC the first time it is called (modes an application chose on
    /// purpose that run no background collections, such as <see cref="GCLatencyMode.LowLatency"/>, are left alone);
    /// with it, and on later calls, does nothing.
    /// </summary>
    public static void Apply()
    {
        if (ArgumentsKeptAlive || Interlocked.Exchange(ref _applied, 1) != 0) return;
        if (GCSettings.LatencyMode is GCLatencyMode.Interactive or GCLatencyMode.SustainedLowLatency)
            GCSettings.LatencyMode = GCLatencyMode.Batch;
    }
}
