using Arc.Sdk;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Arc.Interactive;

/// <summary>
/// Training progress as one display in the cell's output that updates in place (not a line per step): pass it to
/// <c>job.TrainAsync(model, options, ArcNotebook.Progress())</c>. Updates at most every <see cref="Interval"/>, and
/// always at the end of an epoch.
/// </summary>
public sealed class NotebookTrainProgress : IProgress<TrainProgress>
{
    /// <summary>The shortest time between two updates.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly KernelInvocationContext _context;
    private readonly string _valueId = Guid.NewGuid().ToString("N");
    private long _lastUpdate = -1;

    internal NotebookTrainProgress(KernelInvocationContext context)
    {
        // The markup is published as it is, so no kernel's formatters (which differ between hosts) come between.
        _context = context;
        const string Starting = "<div>training…</div>";
        context.Publish(new DisplayedValueProduced(Starting, context.Command, [new FormattedValue(HtmlFormatter.MimeType, Starting)], _valueId));
    }

    /// <summary>The last progress shown, or null before the first step.</summary>
    public TrainProgress? Last { get; private set; }

    /// <summary>How many times the display was updated.</summary>
    public int Updates { get; private set; }

    /// <inheritdoc />
    public void Report(TrainProgress value)
    {
        lock (_gate)
        {
            long now = Environment.TickCount64;
            Last = value;
            if (!value.EndOfEpoch && _lastUpdate >= 0 && now - _lastUpdate < Interval.TotalMilliseconds) return;
            _lastUpdate = now;
            Updates++;
            string html = HtmlViews.Progress(value);
            _context.Publish(new DisplayedValueUpdated(html, _valueId, _context.Command, [new FormattedValue(HtmlFormatter.MimeType, html)]));
        }
    }
}
