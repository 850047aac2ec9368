using System.Globalization;
using Arc.Tracking;

namespace Arc.Cli;

/// <summary>Reads repeated <c>key=value</c> options (<c>--param lr=0.001</c>, <c>--label stage=dev</c>).</summary>
internal static class KeyValueArguments
{
    public static Dictionary<string, string> Read(IEnumerable<string>? items, string option)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            int equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new CliException($"{option} '{item}' is not key=value", ExitCodes.Usage);
            if (!map.TryAdd(item[..equals], item[(equals + 1)..]))
                throw new CliException($"{option} names '{item[..equals]}' twice", ExitCodes.Usage);
        }
        return map;
    }

    /// <summary>
    /// A hyperparameter from its text, typed the way a person means it: <c>true</c>/<c>false</c> a bool, an integer a long,
    /// a number (<c>1e-3</c>, <c>NaN</c>, <c>Infinity</c>) a double, anything else a string.
    /// </summary>
    public static HyperparameterValue Hyperparameter(string text)
    {
        if (text is "true" or "false") return text == "true";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer)) return integer;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)) return number;
        return text;
    }
}
