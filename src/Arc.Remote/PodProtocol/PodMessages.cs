namespace Arc.Remote;

/// <summary>
/// The <c>Invoke</c> request of <c>arc.Pod</c>, on the wire <c>{"pod": str, "arguments": map}</c>: the pod's registered
/// name and its argument map (keys are the method's parameter names) as the MessagePack bytes of that map.
/// </summary>
/// <param name="Pod">The pod's registered name.</param>
/// <param name="Arguments">The argument map's MessagePack bytes, kept as they are so the pod's own reader checks them.</param>
public sealed record PodInvokeRequest(string Pod, ReadOnlyMemory<byte> Arguments);

/// <summary>The <c>Invoke</c> reply, on the wire <c>{"result": value}</c> (nil for a pod that returns nothing).</summary>
/// <param name="Result">The result's MessagePack bytes.</param>
public sealed record PodInvokeReply(ReadOnlyMemory<byte> Result);

/// <summary>One serialized parameter of a served pod, on the wire <c>{"name": str, "type": str}</c>.</summary>
/// <param name="Name">The key of the parameter in the argument map.</param>
/// <param name="Type">The parameter's .NET type name (for people and tools; the argument map's value follows the wire format).</param>
public sealed record PodParameterDescription(string Name, string Type);

/// <summary>One served pod, on the wire <c>{"name": str, "parameters": [{"name", "type"}], "result": str}</c>.</summary>
/// <param name="Name">The pod's registered name.</param>
/// <param name="Parameters">Its serialized parameters in declaration order.</param>
/// <param name="ResultType">The .NET name of the result type; <c>System.Void</c> when the pod returns nothing.</param>
public sealed record PodDescription(string Name, IReadOnlyList<PodParameterDescription> Parameters, string ResultType);

/// <summary>The <c>Describe</c> reply of <c>arc.Pod</c>, on the wire <c>{"pods": [description, ...]}</c>, ordered by name.</summary>
/// <param name="Pods">The pods the worker serves.</param>
public sealed record PodCatalog(IReadOnlyList<PodDescription> Pods);
