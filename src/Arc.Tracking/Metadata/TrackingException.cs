namespace Arc.Tracking;

/// <summary>
/// A tracking call that the store refused, with a <see cref="Code"/> that says why and a message that names the object
/// and what to do. Catch the derived types to handle one case.
/// </summary>
public class TrackingException : Exception
{
    /// <summary>A refusal with <paramref name="code"/>.</summary>
    public TrackingException(TrackingErrorCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    /// <summary>Why the call was refused.</summary>
    public TrackingErrorCode Code { get; }
}
