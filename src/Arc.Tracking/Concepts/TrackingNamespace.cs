namespace Arc.Tracking;

/// <summary>
/// A namespace: the group that experiments and models of one team or project belong to, and later the unit of access.
/// A store creates it with the first experiment or model that names it.
/// </summary>
/// <param name="Name">The name (a DNS label, see <see cref="TrackingNames.Namespace"/>).</param>
/// <param name="CreatedAt">When the first object named it.</param>
public sealed record TrackingNamespace(string Name, DateTimeOffset CreatedAt);
