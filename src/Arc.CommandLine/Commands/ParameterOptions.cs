using System.CommandLine;

namespace Arc.CommandLine;

/// <summary>
/// The options the catalog's parameters become on one command: one option per distinct option name (parameters of
/// several models that share a name and type share it), described with the doc text, the type, each default and any
/// prefix note; and the binding back from a parse result to one model's or job's values.
/// </summary>
internal sealed class ParameterOptions
{
    private readonly Dictionary<string, Option> _byName = new(StringComparer.Ordinal);

    public ParameterOptions(Command command, IEnumerable<CommandLineTarget> targets, IReadOnlySet<string> standard)
    {
        var groups = targets.SelectMany(t => t.Parameters.Select(p => (Target: t, Parameter: p)))
            .Where(x => !standard.Contains(x.Parameter.OptionName))
            .GroupBy(x => x.Parameter.OptionName, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var first = group.First().Parameter;
            var option = first.CreateOption(Describe(group.ToList()));
            _byName[group.Key] = option;
            command.Options.Add(option);
        }
    }

    private static string Describe(List<(CommandLineTarget Target, CommandLineParameter Parameter)> uses)
    {
        var first = uses[0].Parameter;
        string help = uses.Select(u => u.Parameter.Help).FirstOrDefault(h => h.Length > 0) ?? "";
        string defaults = uses.Count == 1
            ? $"{uses[0].Target.Name}'s {first.Name}, default {TypeNames.Value(first.DefaultValue)}"
            : string.Join("; ", uses.Select(u => $"{u.Target.Name}'s {u.Parameter.Name}, default {TypeNames.Value(u.Parameter.DefaultValue)}"));
        string? choices = TypeNames.Choices(first.ParameterType);
        string note = first.Note is null ? "" : $" ({first.Note})";
        return $"{help} [{defaults}{(choices is null ? "" : "; " + choices)}]{note}".Trim();
    }

    /// <summary>The values for <paramref name="target"/>: each option given, else the constructor's default; <paramref name="datasetDirectory"/> for the job's data folder.</summary>
    public ParameterValues Bind(ParseResult result, CommandLineTarget target, string? datasetDirectory)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in target.Parameters)
        {
            if (p.OptionName == "--dataset-dir")
                values[p.Name] = datasetDirectory ?? p.DefaultValue;
            else if (_byName.TryGetValue(p.OptionName, out var option) && result.GetResult(option) is { Implicit: false })
                values[p.Name] = p.Read(result, option);
            else
                values[p.Name] = p.DefaultValue;
        }
        return new ParameterValues(values, target.Name);
    }

    /// <summary>The parameter options given on the command line that none of <paramref name="targets"/> has (a mistake worth reporting).</summary>
    public IEnumerable<string> GivenButNotOf(ParseResult result, IEnumerable<CommandLineTarget> targets)
    {
        var owned = targets.SelectMany(t => t.Parameters).Select(p => p.OptionName).ToHashSet(StringComparer.Ordinal);
        return _byName.Where(kv => !owned.Contains(kv.Key) && result.GetResult(kv.Value) is { Implicit: false }).Select(kv => kv.Key);
    }
}
