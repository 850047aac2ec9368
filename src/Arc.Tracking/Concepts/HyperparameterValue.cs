using System.Globalization;

namespace Arc.Tracking;

/// <summary>
/// One hyperparameter's value with its type kept: a string, a long, a double or a bool. <c>learningRate: 1e-3</c> stays a
/// double and <c>hidden: 64</c> a long, so experiments can later be compared and filtered by value, not by text.
/// Implicit conversions make a dictionary literal read naturally: <c>["hidden"] = 64, ["lr"] = 1e-3</c>.
/// </summary>
public readonly record struct HyperparameterValue
{
    private readonly string? _string;
    private readonly long _long;
    private readonly double _double;
    private readonly bool _bool;

    private HyperparameterValue(HyperparameterKind kind, string? text, long integer, double real, bool flag)
    {
        Kind = kind;
        _string = text;
        _long = integer;
        _double = real;
        _bool = flag;
    }

    /// <summary>The value's type; zero (no type) for <c>default</c>.</summary>
    public HyperparameterKind Kind { get; }

    /// <summary>A string value (at most <see cref="TrackingNames.MaxValueLength"/> characters).</summary>
    public static HyperparameterValue Of(string value)
        => new(HyperparameterKind.String, TrackingNames.Text(value, nameof(value), "string hyperparameter", TrackingNames.MaxValueLength, multiline: true), 0, 0, false);

    /// <summary>An integer value.</summary>
    public static HyperparameterValue Of(long value) => new(HyperparameterKind.Long, null, value, 0, false);

    /// <summary>A floating-point value; NaN and ±infinity are allowed and kept.</summary>
    public static HyperparameterValue Of(double value) => new(HyperparameterKind.Double, null, 0, value, false);

    /// <summary>A boolean value.</summary>
    public static HyperparameterValue Of(bool value) => new(HyperparameterKind.Bool, null, 0, 0, value);

    /// <summary>A string value.</summary>
    public static implicit operator HyperparameterValue(string value) => Of(value);

    /// <summary>An integer value.</summary>
    public static implicit operator HyperparameterValue(long value) => Of(value);

    /// <summary>An integer value (stored as a long).</summary>
    public static implicit operator HyperparameterValue(int value) => Of((long)value);

    /// <summary>A floating-point value.</summary>
    public static implicit operator HyperparameterValue(double value) => Of(value);

    /// <summary>A boolean value.</summary>
    public static implicit operator HyperparameterValue(bool value) => Of(value);

    /// <summary>The string; throws <see cref="InvalidOperationException"/> when the value is of another kind.</summary>
    public string AsString() => Kind == HyperparameterKind.String ? _string! : throw WrongKind(HyperparameterKind.String);

    /// <summary>The integer; throws <see cref="InvalidOperationException"/> when the value is of another kind.</summary>
    public long AsLong() => Kind == HyperparameterKind.Long ? _long : throw WrongKind(HyperparameterKind.Long);

    /// <summary>The floating-point number; throws <see cref="InvalidOperationException"/> when the value is of another kind.</summary>
    public double AsDouble() => Kind == HyperparameterKind.Double ? _double : throw WrongKind(HyperparameterKind.Double);

    /// <summary>The boolean; throws <see cref="InvalidOperationException"/> when the value is of another kind.</summary>
    public bool AsBool() => Kind == HyperparameterKind.Bool ? _bool : throw WrongKind(HyperparameterKind.Bool);

    /// <summary>
    /// The value as invariant text that <see cref="Parse"/> reads back exactly: doubles in round-trip form
    /// (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> included), booleans as <c>true</c>/<c>false</c>.
    /// </summary>
    public override string ToString() => Kind switch
    {
        HyperparameterKind.String => _string!,
        HyperparameterKind.Long => _long.ToString(CultureInfo.InvariantCulture),
        HyperparameterKind.Double => _double.ToString("R", CultureInfo.InvariantCulture),
        HyperparameterKind.Bool => _bool ? "true" : "false",
        _ => "",
    };

    /// <summary>Reads the text that <see cref="ToString"/> wrote for a value of <paramref name="kind"/>.</summary>
    /// <exception cref="FormatException">The text is not a value of that kind.</exception>
    public static HyperparameterValue Parse(HyperparameterKind kind, string text) => kind switch
    {
        HyperparameterKind.String => Of(text),
        HyperparameterKind.Long => Of(long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)),
        HyperparameterKind.Double => Of(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
        HyperparameterKind.Bool => text switch
        {
            "true" => Of(true),
            "false" => Of(false),
            _ => throw new FormatException($"'{text}' is not a boolean hyperparameter (true or false)"),
        },
        _ => throw new FormatException($"hyperparameter kind {(int)kind} is not one of String, Long, Double, Bool"),
    };

    private InvalidOperationException WrongKind(HyperparameterKind wanted)
        => new($"the hyperparameter is a {(Kind == 0 ? "default (no value)" : Kind.ToString())}, not a {wanted}");
}
