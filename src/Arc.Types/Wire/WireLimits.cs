namespace Arc.Types;

/// <summary>
/// The hard limits a wire-form reader enforces before it allocates anything (see docs/wire-format.md, "Size limits").
/// A payload beyond them is rejected with <see cref="ArcFormatException"/>; bigger buffers than these cannot exist in .NET anyway.
/// </summary>
public static class WireLimits
{
    /// <summary>Most dimensions an array part may have.</summary>
    public const int MaxRank = 16;

    /// <summary>
    /// Deepest nesting of an unknown (skipped) value inside a map. Skipping is recursive, so a forged payload of
    /// nested one-byte array headers must not be allowed to exhaust the stack.
    /// </summary>
    public const int MaxSkipDepth = 64;

    /// <summary>Most bytes in one <c>data</c> bin: the largest byte array .NET can allocate.</summary>
    public static int MaxDataBytes => Array.MaxLength;
}
