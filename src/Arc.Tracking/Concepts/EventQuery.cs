namespace Arc.Tracking;

/// <summary>Which events to read: those after an id, optionally of one namespace and some kinds, at most a limit.</summary>
public sealed record EventQuery
{
    private readonly long _afterId;
    private readonly string? _namespace;
    private readonly IReadOnlyList<string> _kinds = [];
    private readonly int _limit = 1000;

    /// <summary>The most events one read returns.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Read events whose id is greater than this (0: from the first).</summary>
    public long AfterId
    {
        get => _afterId;
        init => _afterId = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(AfterId), value, "read after an event id of 0 or more");
    }

    /// <summary>Only events of this namespace; all when null.</summary>
    public string? Namespace
    {
        get => _namespace;
        init => _namespace = value is null ? null : TrackingNames.Namespace(value, nameof(Namespace));
    }

    /// <summary>Only events of these kinds (<see cref="TrackingEventKinds"/>); all when empty.</summary>
    public IReadOnlyList<string> Kinds
    {
        get => _kinds;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Kinds));
            foreach (string kind in value)
                if (!TrackingEventKinds.All.Contains(kind))
                    throw new ArgumentException($"event kind '{kind}' is unknown; the kinds are {string.Join(", ", TrackingEventKinds.All)}", nameof(Kinds));
            _kinds = value.Distinct(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>The most events to return (1–10,000; 1,000 unless set).</summary>
    public int Limit
    {
        get => _limit;
        init => _limit = value is >= 1 and <= MaxLimit ? value : throw new ArgumentOutOfRangeException(nameof(Limit), value, $"read 1–{MaxLimit:N0} events at a time");
    }
}
