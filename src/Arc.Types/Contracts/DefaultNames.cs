namespace Arc.Types;

/// <summary>The names jobs and models get when they do not choose one.</summary>
internal static class DefaultNames
{
    /// <summary>The class name in lower case, without a generic arity suffix (<c>MyJob`1</c> → <c>myjob</c>).</summary>
    public static string For(Type type)
    {
        var name = type.Name;
        int tick = name.IndexOf('`');
        return (tick < 0 ? name : name[..tick]).ToLowerInvariant();
    }
}
