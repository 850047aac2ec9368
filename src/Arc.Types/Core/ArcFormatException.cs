namespace Arc.Types;

/// <summary>
/// Thrown when bytes or JSON that claim to be an Arc data value are not: truncated, oversized, the wrong
/// type tag, an unknown dtype, a shape that does not match the buffer. The message names what is wrong.
/// </summary>
public sealed class ArcFormatException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    public ArcFormatException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the lower-level error that revealed the problem.</summary>
    public ArcFormatException(string message, Exception inner) : base(message, inner) { }
}
