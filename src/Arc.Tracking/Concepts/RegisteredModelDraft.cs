namespace Arc.Tracking;

/// <summary>
/// A model about to be registered: the named thing a team trains versions of for one task. Every field is checked when
/// it is set.
/// </summary>
public sealed record RegisteredModelDraft
{
    private readonly string _task = "";
    private readonly string _description = "";
    private readonly IReadOnlyDictionary<string, string> _labels = ReadOnlyMaps.Freeze<string>(null);

    /// <summary>A draft of model <paramref name="name"/> in <paramref name="namespace"/>, owned by <paramref name="owner"/>.</summary>
    public RegisteredModelDraft(string @namespace, string name, string owner)
    {
        Namespace = TrackingNames.Namespace(@namespace, nameof(@namespace));
        Name = TrackingNames.Name(name, nameof(name), "model name");
        Owner = TrackingNames.RequiredText(owner, nameof(owner), "owner", 256);
    }

    /// <summary>The namespace (created with the first experiment or model that names it).</summary>
    public string Namespace { get; }

    /// <summary>The name, unique within the namespace.</summary>
    public string Name { get; }

    /// <summary>Who owns it.</summary>
    public string Owner { get; }

    /// <summary>The task it solves (<c>image-classification</c>, <c>asr</c>…); empty when not said. At most 128 characters.</summary>
    public string Task
    {
        get => _task;
        init => _task = TrackingNames.Text(value, nameof(Task), "task", 128);
    }

    /// <summary>A description (line breaks allowed), at most 4096 characters.</summary>
    public string Description
    {
        get => _description;
        init => _description = TrackingNames.Text(value, nameof(Description), "description", TrackingNames.MaxDescriptionLength, multiline: true);
    }

    /// <summary>The labels it starts with.</summary>
    public IReadOnlyDictionary<string, string> Labels
    {
        get => _labels;
        init => _labels = Tracking.Labels.Check(value, nameof(Labels));
    }
}
