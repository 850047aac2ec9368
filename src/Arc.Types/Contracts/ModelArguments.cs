using System.Runtime.CompilerServices;

namespace Arc.Types;

/// <summary>
/// The argument checks every <see cref="ISupervisedModel{X, Y}"/> call makes before it does anything, in one place, so
/// that a mistake gives the same exception with the same text wherever the model runs: in this process
/// (<see cref="SupervisedModel{X, Y}"/>'s async members, <c>TorchSupervisedModel</c>) and before a remote call sends a
/// byte (<c>RemoteModel</c>, the typed clients). docs/errors.md is the contract.
/// </summary>
internal static class ModelArguments
{
    /// <summary>
    /// <see cref="ArgumentNullException"/> naming the caller's parameter when either part is null, and
    /// <see cref="ArgumentException"/> (<c>"120 inputs but 60 targets"</c>, on the targets' parameter) when their row counts differ.
    /// </summary>
    public static void CheckPair<X, Y>(X x, Y y,
        [CallerArgumentExpression(nameof(x))] string? xName = null, [CallerArgumentExpression(nameof(y))] string? yName = null)
        where X : IArcData where Y : IArcData
    {
        ArgumentNullException.ThrowIfNull(x, xName);
        ArgumentNullException.ThrowIfNull(y, yName);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} inputs but {y.Count} targets", yName);
    }
}
