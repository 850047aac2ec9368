namespace Arc.Tracking;

/// <summary>An object with the name a create call gives exists already (<see cref="TrackingErrorCode.AlreadyExists"/>).</summary>
public sealed class TrackingAlreadyExistsException(string message, Exception? inner = null)
    : TrackingException(TrackingErrorCode.AlreadyExists, message, inner);
