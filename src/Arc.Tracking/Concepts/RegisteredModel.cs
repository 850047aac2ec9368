namespace Arc.Tracking;

/// <summary>A registered model as a store keeps it; its trained versions are <see cref="ModelVersion"/>s.</summary>
/// <param name="Id">The id the store gave it.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name, unique within the namespace.</param>
/// <param name="Owner">Who owns it.</param>
/// <param name="Task">The task it solves (may be empty).</param>
/// <param name="Description">Its description (may be empty).</param>
/// <param name="CreatedAt">When it was registered (to the microsecond).</param>
public sealed record RegisteredModel(string Id, string Namespace, string Name, string Owner, string Task, string Description, DateTimeOffset CreatedAt)
{
    private readonly IReadOnlyDictionary<string, string> _labels = ReadOnlyMaps.Freeze<string>(null);

    /// <summary>Its labels now.</summary>
    public IReadOnlyDictionary<string, string> Labels
    {
        get => _labels;
        init => _labels = ReadOnlyMaps.Freeze(value);
    }
}
