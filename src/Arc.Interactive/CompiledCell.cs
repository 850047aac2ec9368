using System.Reflection;

namespace Arc.Interactive;

/// <summary>One compiled version of a cell that declares Arc units.</summary>
/// <param name="Assembly">The loaded assembly (from <paramref name="Path"/>, so a worker process can load the same file).</param>
/// <param name="Path">The assembly's file.</param>
/// <param name="Namespace">The namespace its top-level types were put in (unique to this version).</param>
/// <param name="TypeNames">Its top-level type names, each of which later cells reach through an alias.</param>
internal sealed record CompiledCell(Assembly Assembly, string Path, string Namespace, IReadOnlyList<string> TypeNames);
