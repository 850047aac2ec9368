using MessagePack;

namespace Arc.Types;

/// <summary>Writes one value (a message, a data value) as MessagePack.</summary>
public delegate void WireWrite<T>(ref MessagePackWriter writer, T value);

/// <summary>Reads one value from MessagePack with <see cref="WireReader"/>; throws <see cref="ArcFormatException"/> for anything malformed.</summary>
public delegate T WireRead<T>(ref MessagePackReader reader);
