namespace Arc.Sdk;

/// <summary>The result of a pod that returns nothing; it travels as nil.</summary>
public readonly struct NoResult : IEquatable<NoResult>
{
    /// <summary>Waits for <paramref name="task"/>, then returns <see cref="NoResult"/> (adapts a <see cref="Task"/>-returning pod).</summary>
    public static async ValueTask<NoResult> After(Task task)
    {
        await task.ConfigureAwait(false);
        return default;
    }

    /// <summary>Waits for <paramref name="task"/>, then returns <see cref="NoResult"/> (adapts a <see cref="ValueTask"/>-returning pod).</summary>
    public static async ValueTask<NoResult> After(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return default;
    }

    /// <inheritdoc />
    public bool Equals(NoResult other) => true;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is NoResult;

    /// <inheritdoc />
    public override int GetHashCode() => 0;

    /// <summary>All <see cref="NoResult"/> values are equal.</summary>
    public static bool operator ==(NoResult left, NoResult right) => true;

    /// <summary>All <see cref="NoResult"/> values are equal.</summary>
    public static bool operator !=(NoResult left, NoResult right) => false;
}
