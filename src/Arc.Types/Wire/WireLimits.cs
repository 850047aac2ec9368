namespace Arc.Types;

/// <summary>
/// The limits <see cref="WireReader"/> enforces before it allocates anything (see docs/wire-format.md, "Size limits").
/// Lengths have no fixed cap: every declared count or length must fit in the bytes that remain (an array element is at
/// least one byte, a map entry two, a string or bin its length), so the payload's own size — which the transport
/// limits — bounds what a reader allocates. A payload beyond them is rejected with <see cref="ArcFormatException"/>.
/// </summary>
public static class WireLimits
{
    /// <summary>Most dimensions an array part may have.</summary>
    public const int MaxRank = 16;

    /// <summary>
    /// Deepest nesting the reader follows in a value whose shape it does not know: the value of an unknown key, a pod's
    /// raw arguments or result. Walking such a value is recursive, so a forged payload of nested one-byte array headers
    /// must not be allowed to exhaust the stack.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Most bytes in one <c>data</c> bin: the largest byte array .NET can allocate.</summary>
    public static int MaxDataBytes => Array.MaxLength;
}
