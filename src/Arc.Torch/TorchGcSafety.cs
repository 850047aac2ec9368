using System.Runtime;
using Arc.Types;

namespace Arc.Torch;

/// <summary>
/// Turns off background (concurrent) garbage collection once a TorchSharp model exists, because TorchSharp 0.107
/// can crash under it (see remarks).
/// </summary>
/// <remarks>
/// TorchSharp turns numbers into <c>Scalar</c> objects implicitly (<c>t.add_(1e-8)</c>, inside every optimizer
/// step and many functional ops) and hands their raw handles to native code without keeping the objects alive
/// (upstream: dotnet/TorchSharp PR 1496). A collection that runs while such a call is in flight can finalize the
/// Scalar and free the value libtorch is still reading; training then dies at random after thousands of steps
/// with "Expected false to be true" or "Unknown scalar type". Measured here: the MNIST sample's training loop
/// crashed in about half of the runs with background GC on and in none with it off. Background GC is the
/// collection that runs beside the training thread, so switching the process to <see cref="GCLatencyMode.Batch"/>
/// (no concurrency, best throughput, which suits training) removes that window. Modes an application chose on
/// purpose that do not run background collections (<see cref="GCLatencyMode.LowLatency"/>, no-GC regions) are
/// left alone. A collection triggered by another thread's allocation is the remaining window: torch models in one
/// process therefore take their Fit/Predict steps one at a time (<see cref="StepGate"/>), and Arc's worker decodes
/// the next batch only between fits. Other application threads that allocate heavily while a model trains can still
/// trigger a collection; keep them quiet during training.
/// <para>
/// Why the gate stays rather than every temporary being disposed: Arc's own code makes its Scalars explicitly and
/// keeps them alive to the end of each call (ImplicitScalarTests reads every Arc assembly's IL for the implicit
/// pattern), but TorchSharp 0.107's optimizer steps make theirs implicitly inside TorchSharp (the step code of Adam
/// and AdamW has 8 places that make one, Adamax 6, SGD 5, read from its IL), out of Arc's reach, and so do the other optimizers'
/// steps (LBFGS's aside), BatchNorm and the activations with a number parameter (docs/torchsharp-scalars.md lists all 91
/// public types, read from TorchSharp's IL by TorchSharpScalarSurfaceTests). Until TorchSharp keeps them alive, any
/// collection during a step can be fatal, so steps stay one at a time and the worker keeps decoding between them.
/// </para>
/// </remarks>
internal static class TorchGcSafety
{
    /// <summary>Held for every torch Fit/Predict step of a <see cref="TorchSupervisedModel{X, Y}"/> in this process.</summary>
    public static readonly object StepGate = new();

    private static int _applied;

    /// <summary>Switches the process to batch GC the first time it is called; later calls do nothing.</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) != 0) return;
        if (GCSettings.LatencyMode is GCLatencyMode.Interactive or GCLatencyMode.SustainedLowLatency)
            GCSettings.LatencyMode = GCLatencyMode.Batch;
    }
}
