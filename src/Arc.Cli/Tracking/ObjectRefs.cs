using Arc.Tracking;

namespace Arc.Cli;

/// <summary>
/// How commands name an experiment or a model: by the id the server gave it, or as <c>namespace/name</c> (the way
/// people remember it). A name that is not there ends the command with <see cref="ExitCodes.NotFound"/>.
/// </summary>
internal static class ObjectRefs
{
    public const string Help = "An id, or namespace/name";

    public static async Task<Experiment> ExperimentAsync(IMetadataStore client, string reference, CancellationToken cancellationToken)
    {
        if (Split(reference) is not { } split) return await client.GetExperimentAsync(reference, cancellationToken).ConfigureAwait(false);
        var (space, name) = split;
        return await client.FindExperimentAsync(space, name, cancellationToken).ConfigureAwait(false)
            ?? throw new CliException($"namespace '{space}' has no experiment named '{name}'", ExitCodes.NotFound);
    }

    public static async Task<RegisteredModel> ModelAsync(IMetadataStore client, string reference, CancellationToken cancellationToken)
    {
        if (Split(reference) is not { } split) return await client.GetModelAsync(reference, cancellationToken).ConfigureAwait(false);
        var (space, name) = split;
        return await client.FindModelAsync(space, name, cancellationToken).ConfigureAwait(false)
            ?? throw new CliException($"namespace '{space}' has no model named '{name}'", ExitCodes.NotFound);
    }

    private static (string Namespace, string Name)? Split(string reference)
    {
        int slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return null;
        if (slash == 0 || slash == reference.Length - 1 || reference.IndexOf('/', slash + 1) >= 0)
            throw new CliException($"'{reference}' is neither an id nor namespace/name", ExitCodes.Usage);
        return (reference[..slash], reference[(slash + 1)..]);
    }
}
