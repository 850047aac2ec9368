namespace Arc.Tracking;

/// <summary>The object a call names does not exist (<see cref="TrackingErrorCode.NotFound"/>).</summary>
public sealed class TrackingNotFoundException(string message) : TrackingException(TrackingErrorCode.NotFound, message);
