using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Arc.Sdk;

namespace Samples.Functions;

/// <summary>Pods of every return shape.</summary>
public static partial class Maths
{
    /// <summary>How many times <see cref="Touch"/> ran.</summary>
    public static int Touches;

    /// <summary>Synchronous, with a required and an optional parameter.</summary>
    [Pod]
    public static int Add(int a, int b = 10) => a + b;

    /// <summary>Task of an array, with a cancellation token in the middle.</summary>
    [Pod(Name = "maths.scale")]
    public static async Task<double[]> ScaleAsync(double[] values, CancellationToken cancellationToken, double factor = 2)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return Array.ConvertAll(values, v => v * factor);
    }

    /// <summary>ValueTask of a nullable string; private methods work too.</summary>
    [Pod]
    private static ValueTask<string?> Describe(IReadOnlyList<string> words, string? separator = null)
        => new(words.Count == 0 ? null : string.Join(separator ?? " ", words));

    /// <summary>Returns nothing.</summary>
    [Pod]
    internal static void Touch() => Interlocked.Increment(ref Touches);

    /// <summary>Returns a bare Task.</summary>
    [Pod]
    public static Task WaitAsync(int milliseconds, CancellationToken cancellationToken) => Task.Delay(milliseconds, cancellationToken);
}
