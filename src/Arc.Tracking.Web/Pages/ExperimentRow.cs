namespace Arc.Tracking.Web;

/// <summary>One line of the experiment table: the experiment and the best value of the chosen metric (null: not logged).</summary>
internal sealed record ExperimentRow(Experiment Experiment, double? Best, DateTimeOffset Now)
{
    public TimeSpan Duration => (Experiment.EndedAt ?? Now) - Experiment.StartedAt;

    public bool Matches(string? filter, string? status)
    {
        if (!string.IsNullOrEmpty(status) && !Experiment.Status.ToString().Equals(status, StringComparison.OrdinalIgnoreCase)) return false;
        if (string.IsNullOrWhiteSpace(filter)) return true;
        return Experiment.Name.Contains(filter, StringComparison.OrdinalIgnoreCase) || Experiment.Owner.Contains(filter, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The rows in the order the table's column asks; rows without a best value come last either way.</summary>
    public static IEnumerable<ExperimentRow> Sort(IEnumerable<ExperimentRow> rows, string column, bool descending) => column switch
    {
        "name" => Order(rows, r => r.Experiment.Name, descending, StringComparer.OrdinalIgnoreCase),
        "status" => Order(rows, r => r.Experiment.Status.ToString(), descending, StringComparer.Ordinal),
        "duration" => Order(rows, r => r.Duration, descending, Comparer<TimeSpan>.Default),
        "owner" => Order(rows, r => r.Experiment.Owner, descending, StringComparer.OrdinalIgnoreCase),
        "best" => rows.Where(r => r.Best is not null).Let(known => Order(known, r => r.Best!.Value, descending, Comparer<double>.Default))
            .Concat(rows.Where(r => r.Best is null)),
        _ => Order(rows, r => r.Experiment.StartedAt, descending, Comparer<DateTimeOffset>.Default),
    };

    private static IEnumerable<ExperimentRow> Order<T>(IEnumerable<ExperimentRow> rows, Func<ExperimentRow, T> key, bool descending, IComparer<T> comparer)
        => descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);
}

internal static class Pipe
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> then) => then(value);
}
