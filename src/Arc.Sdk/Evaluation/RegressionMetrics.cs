using System.Text;

namespace Arc.Sdk;

/// <summary>The errors over one scored array (a tensor, or one table column).</summary>
/// <param name="Name">The column's name; empty for a tensor.</param>
/// <param name="Elements">How many values were compared.</param>
/// <param name="SquaredError">The sum of squared differences.</param>
/// <param name="AbsoluteError">The sum of absolute differences.</param>
public sealed record RegressionPart(string Name, long Elements, double SquaredError, double AbsoluteError)
{
    /// <summary>Mean squared error (0 when nothing was compared).</summary>
    public double Mse => Elements == 0 ? 0 : SquaredError / Elements;

    /// <summary>Root mean squared error.</summary>
    public double Rmse => Math.Sqrt(Mse);

    /// <summary>Mean absolute error.</summary>
    public double Mae => Elements == 0 ? 0 : AbsoluteError / Elements;
}

/// <summary>
/// What <see cref="RegressionEvaluator{Y}"/> measured: MSE, RMSE and MAE over every compared value (headline
/// <c>mse</c>, <c>rmse</c>, <c>mae</c>), and per column for a table (<c>mse/&lt;column&gt;</c>, <c>mae/&lt;column&gt;</c>).
/// </summary>
public sealed class RegressionMetrics : IEvalDetail
{
    /// <summary>Metrics from the per-part sums.</summary>
    public RegressionMetrics(long samples, IReadOnlyList<RegressionPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        Samples = samples;
        Parts = parts;
        Overall = new RegressionPart("", parts.Sum(p => p.Elements), parts.Sum(p => p.SquaredError), parts.Sum(p => p.AbsoluteError));
        var headline = new Dictionary<string, double> { ["mse"] = Mse, ["rmse"] = Rmse, ["mae"] = Mae };
        foreach (var part in parts.Where(p => p.Name.Length > 0))
        {
            headline["mse/" + part.Name] = part.Mse;
            headline["mae/" + part.Name] = part.Mae;
        }
        Headline = headline;
    }

    /// <summary>Samples scored.</summary>
    public long Samples { get; }

    /// <summary>The scored arrays: one unnamed for a tensor, one per numeric column for a table.</summary>
    public IReadOnlyList<RegressionPart> Parts { get; }

    /// <summary>All parts together.</summary>
    public RegressionPart Overall { get; }

    /// <summary>Mean squared error over every compared value.</summary>
    public double Mse => Overall.Mse;

    /// <summary>Root mean squared error over every compared value.</summary>
    public double Rmse => Overall.Rmse;

    /// <summary>Mean absolute error over every compared value.</summary>
    public double Mae => Overall.Mae;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Headline { get; }

    /// <summary>The overall errors and, for a table, one row per column.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.AppendLine($"mse {TextTable.Number(Mse)}  rmse {TextTable.Number(Rmse)}  mae {TextTable.Number(Mae)}  ({TextTable.Count(Overall.Elements)} values, {TextTable.Count(Samples)} samples)");
        if (Parts.Any(p => p.Name.Length > 0))
        {
            var table = new TextTable("column", "mse", "rmse", "mae", "values");
            foreach (var p in Parts)
                table.AddRow(p.Name, TextTable.Number(p.Mse), TextTable.Number(p.Rmse), TextTable.Number(p.Mae), TextTable.Count(p.Elements));
            table.WriteTo(text);
        }
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Format();
}
