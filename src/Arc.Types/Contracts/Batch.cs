
namespace Arc.Types;

/// <summary>One batch of inputs and targets; deconstructs as <c>var (x, y) = batch</c>.</summary>
/// <param name="Inputs">The X part.</param>
/// <param name="Targets">The Y part, sample for sample.</param>
public readonly record struct Batch<X, Y>(X Inputs, Y Targets)
    where X : IArcData<X>
    where Y : IArcData<Y>;
