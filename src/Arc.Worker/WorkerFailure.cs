namespace Arc.Worker;

/// <summary>
/// How the worker reports the exception that stops it, on stderr (which its owner forwards to its log, and which a
/// pod's log keeps): first the whole exception — type, message, stack, inner exceptions — so the cause can be found
/// from the log alone, then one summary line, last, because owners quote the last lines (the
/// <c>ArcWorkerExitedException</c> of a local worker, the "last log lines" of a failed Kubernetes pod).
/// </summary>
internal static class WorkerFailure
{
    /// <summary>How the summary line starts.</summary>
    public const string SummaryPrefix = "arc worker failed: ";

    /// <summary>Writes <paramref name="exception"/> in full, then its one-line summary.</summary>
    public static void Report(TextWriter log, Exception exception)
    {
        log.WriteLine($"arc worker stopped by an exception; in full:{Environment.NewLine}{exception}");
        log.WriteLine(Summary(exception));
        log.Flush();
    }

    /// <summary><c>arc worker failed: Type: message</c>, on one line whatever the message holds.</summary>
    public static string Summary(Exception exception)
        => $"{SummaryPrefix}{exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}";
}
