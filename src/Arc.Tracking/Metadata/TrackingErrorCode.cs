namespace Arc.Tracking;

/// <summary>
/// Why a tracking call failed, in the words of gRPC status codes (the service maps each to the status of the same name).
/// Invalid names and values in the concepts themselves are <see cref="ArgumentException"/>s, which the service maps to
/// <see cref="InvalidArgument"/> too.
/// </summary>
public enum TrackingErrorCode
{
    /// <summary>An argument is wrong in a way only the store can see (an idempotency key reused for other points, a label target of the wrong kind).</summary>
    InvalidArgument = 3,

    /// <summary>The object named does not exist.</summary>
    NotFound = 5,

    /// <summary>An object with that name exists already.</summary>
    AlreadyExists = 6,
}
