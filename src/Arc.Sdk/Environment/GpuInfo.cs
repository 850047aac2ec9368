namespace Arc.Sdk;

/// <summary>One GPU as the driver reports it.</summary>
/// <param name="Index">Device index (as CUDA numbers it).</param>
/// <param name="Name">Marketing name, e.g. "NVIDIA H100 80GB HBM3".</param>
/// <param name="MemoryBytes">Total memory in bytes, or null when the driver did not say.</param>
public sealed record GpuInfo(int Index, string Name, long? MemoryBytes);
