namespace Arc.Tracking;

/// <summary>An argument that is well-formed but wrong for the store's state (<see cref="TrackingErrorCode.InvalidArgument"/>).</summary>
public sealed class TrackingInvalidArgumentException(string message) : TrackingException(TrackingErrorCode.InvalidArgument, message);
