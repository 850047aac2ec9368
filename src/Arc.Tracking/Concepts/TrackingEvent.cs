namespace Arc.Tracking;

/// <summary>
/// One change in a store: an object created or updated, a label set or removed, a file attached. A store appends the
/// event in the same transaction as the change, so there is an event exactly for every change that happened, and
/// numbers events in the order their changes committed: reading on after the last id seen misses nothing and repeats
/// nothing.
/// </summary>
/// <param name="Id">Its number: 1 for the first event of a store, each later one higher.</param>
/// <param name="Time">When the change was made (to the microsecond).</param>
/// <param name="Kind">What happened, one of <see cref="TrackingEventKinds"/>.</param>
/// <param name="ObjectId">The id of the object that changed (a namespace's name for <see cref="TrackingEventKinds.NamespaceCreated"/>).</param>
/// <param name="Namespace">The namespace of that object.</param>
/// <param name="Payload">A JSON object with the details of the change (see <see cref="TrackingEventKinds"/>).</param>
public sealed record TrackingEvent(long Id, DateTimeOffset Time, string Kind, string ObjectId, string Namespace, string Payload);
