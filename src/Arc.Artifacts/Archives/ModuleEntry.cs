namespace Arc.Artifacts;

/// <summary>
/// The .NET form of seed 004's training or serving script: an assembly inside the module dir and, optionally, the entry
/// type in it, written <c>&lt;assembly path&gt;[:&lt;entry type&gt;]</c> (e.g. <c>Mnist.dll:Arc.Samples.Mnist.ConvClassifier</c>).
/// The entry type is a <c>[Model]</c> class (its generated module), a registered model name, or a class of the user's
/// own that implements the protocol; without it the assembly's one <c>[Model]</c> is meant.
/// </summary>
/// <param name="AssemblyPath">The assembly, '/'-separated, relative to the module dir.</param>
/// <param name="TypeName">The entry type, or null.</param>
public sealed record ModuleEntry(string AssemblyPath, string? TypeName)
{
    /// <summary>Reads <c>&lt;assembly path&gt;[:&lt;entry type&gt;]</c>.</summary>
    /// <exception cref="FormatException">The text is not that form, or the path leaves the module dir.</exception>
    public static ModuleEntry Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        string path = colon < 0 ? text : text[..colon];
        string? type = colon < 0 ? null : text[(colon + 1)..];
        if (type is { Length: 0 }) throw new FormatException($"entry '{text}' has an empty type after ':' (write '<assembly>.dll' or '<assembly>.dll:<type>')");
        if (!SavedArtifactConfig.IsInnerPath(path))
            throw new FormatException($"entry '{text}' does not name an assembly inside the module dir (a relative '/'-separated path without '..')");
        if (!path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"entry '{text}' names '{path}', which is not a .dll (write '<assembly>.dll' or '<assembly>.dll:<type>')");
        return new ModuleEntry(path, type);
    }

    /// <summary>The form <see cref="Parse"/> reads.</summary>
    public override string ToString() => TypeName is null ? AssemblyPath : AssemblyPath + ":" + TypeName;
}
