using System.Globalization;
using System.Text;

namespace Arc.Datasets;

/// <summary>
/// The part of Python's literal syntax a <c>.npy</c> header uses: a dict of strings, ints, booleans, tuples and lists
/// (what NumPy's <c>safe_eval</c> accepts). Reading never executes anything; writing produces what Python's
/// <c>repr</c> produces for the same values, so our headers are byte for byte NumPy's.
/// </summary>
/// <remarks>
/// Values read: <see cref="string"/>, <see cref="long"/>, <see cref="bool"/>, null (<c>None</c>),
/// <see cref="PythonTuple"/>, <see cref="PythonList"/> and <see cref="PythonDict"/>.
/// </remarks>
internal static class PythonLiteral
{
    private const int MaxDepth = 32;

    /// <summary>Parses <paramref name="text"/> as one literal (surrounding spaces and newlines allowed).</summary>
    /// <exception cref="FormatException">The text is not such a literal; the message says where.</exception>
    public static object? Parse(string text)
    {
        var parser = new Parser(text);
        var value = parser.Value(0);
        parser.SkipSpace();
        if (!parser.AtEnd) throw parser.Error("unexpected text after the value");
        return value;
    }

    /// <summary>Python's <c>repr</c> of a string, except that characters outside ASCII are escaped (the header stays ASCII, so format 1.0 holds it).</summary>
    public static string Repr(string value)
    {
        char quote = value.Contains('\'') && !value.Contains('"') ? '"' : '\'';
        var text = new StringBuilder(value.Length + 2).Append(quote);
        for (int i = 0; i < value.Length; i++)
        {
            int c = value[i];
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                c = char.ConvertToUtf32(value[i], value[++i]);
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '\t': text.Append(@"\t"); break;
                case '\n': text.Append(@"\n"); break;
                case '\r': text.Append(@"\r"); break;
                default:
                    if (c == quote) text.Append('\\').Append(quote);
                    else if (c is >= 0x20 and < 0x7f) text.Append((char)c);
                    else if (c <= 0xff) text.Append(CultureInfo.InvariantCulture, $@"\x{c:x2}");
                    else if (c <= 0xffff) text.Append(CultureInfo.InvariantCulture, $@"\u{c:x4}");
                    else text.Append(CultureInfo.InvariantCulture, $@"\U{c:x8}");
                    break;
            }
        }
        return text.Append(quote).ToString();
    }

    /// <summary>Python's <c>repr</c> of a tuple of ints: <c>()</c>, <c>(5,)</c>, <c>(5, 3)</c>.</summary>
    public static string ReprTuple(IReadOnlyList<long> values) => values.Count switch
    {
        0 => "()",
        1 => string.Create(CultureInfo.InvariantCulture, $"({values[0]},)"),
        _ => "(" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + ")",
    };

    private sealed class Parser(string text)
    {
        private int _at;

        public bool AtEnd => _at >= text.Length;

        public FormatException Error(string what) => new($"{what} at character {_at}");

        public void SkipSpace()
        {
            while (_at < text.Length && text[_at] is ' ' or '\t' or '\n' or '\r') _at++;
        }

        public object? Value(int depth)
        {
            if (depth > MaxDepth) throw Error($"nested deeper than {MaxDepth}");
            SkipSpace();
            if (AtEnd) throw Error("the text ends where a value should be");
            char c = text[_at];
            switch (c)
            {
                case '{': return Dict(depth);
                case '[': return new PythonList(Sequence(']', depth, out _));
                case '(':
                    var items = Sequence(')', depth, out bool trailingComma);
                    // "(5)" is 5 in Python; only a comma makes a one-element tuple.
                    return items.Count == 1 && !trailingComma ? items[0] : new PythonTuple(items);
                case '\'' or '"': return String();
            }
            if (c is '-' or '+' or (>= '0' and <= '9')) return Integer();
            foreach (var (word, value) in Words)
                if (string.CompareOrdinal(text, _at, word, 0, word.Length) == 0 && !IsNameChar(_at + word.Length))
                {
                    _at += word.Length;
                    return value;
                }
            throw Error($"'{c}' does not start a value");
        }

        private static readonly (string Word, object? Value)[] Words = [("True", true), ("False", false), ("None", null)];

        private bool IsNameChar(int at) => at < text.Length && (char.IsLetterOrDigit(text[at]) || text[at] == '_');

        private PythonDict Dict(int depth)
        {
            _at++; // {
            var entries = new List<KeyValuePair<object?, object?>>();
            while (true)
            {
                SkipSpace();
                if (!AtEnd && text[_at] == '}') { _at++; return new PythonDict(entries); }
                var key = Value(depth + 1);
                SkipSpace();
                if (AtEnd || text[_at] != ':') throw Error("expected ':' after a dict key");
                _at++;
                entries.Add(new(key, Value(depth + 1)));
                SkipSpace();
                if (AtEnd) throw Error("the dict is not closed");
                if (text[_at] == ',') { _at++; continue; }
                if (text[_at] != '}') throw Error("expected ',' or '}' in a dict");
            }
        }

        private List<object?> Sequence(char close, int depth, out bool trailingComma)
        {
            _at++; // [ or (
            var items = new List<object?>();
            trailingComma = false;
            while (true)
            {
                SkipSpace();
                if (!AtEnd && text[_at] == close) { _at++; return items; }
                items.Add(Value(depth + 1));
                SkipSpace();
                if (AtEnd) throw Error($"expected '{close}'");
                trailingComma = text[_at] == ',';
                if (trailingComma) { _at++; continue; }
                if (text[_at] != close) throw Error($"expected ',' or '{close}'");
            }
        }

        private long Integer()
        {
            int start = _at;
            if (text[_at] is '-' or '+') _at++;
            while (_at < text.Length && char.IsAsciiDigit(text[_at])) _at++;
            if (!long.TryParse(text.AsSpan(start, _at - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                throw Error($"'{text[start.._at]}' is not an integer this reader holds");
            // Python 2 wrote longs with an L suffix; NumPy still reads such headers.
            if (_at < text.Length && text[_at] == 'L') _at++;
            return value;
        }

        private string String()
        {
            char quote = text[_at++];
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error("the string is not closed");
                char c = text[_at++];
                if (c == quote) return value.ToString();
                if (c is '\n' or '\r') throw Error("a line break inside a string");
                if (c != '\\') { value.Append(c); continue; }
                if (AtEnd) throw Error("the string ends in a backslash");
                char e = text[_at++];
                switch (e)
                {
                    case '\\' or '\'' or '"': value.Append(e); break;
                    case 'n': value.Append('\n'); break;
                    case 't': value.Append('\t'); break;
                    case 'r': value.Append('\r'); break;
                    case '0': value.Append('\0'); break;
                    case 'x': value.Append(CodePoint(2)); break;
                    case 'u': value.Append(CodePoint(4)); break;
                    case 'U': value.Append(CodePoint(8)); break;
                    default: throw Error($"the escape \\{e} is not one this reader knows");
                }
            }
        }

        private string CodePoint(int digits)
        {
            if (_at + digits > text.Length || !int.TryParse(text.AsSpan(_at, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                throw Error($"expected {digits} hex digits");
            _at += digits;
            if (code > 0x10FFFF) throw Error($"\\U{code:x8} is beyond Unicode");
            return code <= 0xFFFF ? ((char)code).ToString() : char.ConvertFromUtf32(code);
        }
    }
}

/// <summary>A Python tuple read from a header.</summary>
internal sealed class PythonTuple(IReadOnlyList<object?> items)
{
    public IReadOnlyList<object?> Items { get; } = items;
}

/// <summary>A Python list read from a header.</summary>
internal sealed class PythonList(IReadOnlyList<object?> items)
{
    public IReadOnlyList<object?> Items { get; } = items;
}

/// <summary>A Python dict read from a header, entries in their written order.</summary>
internal sealed class PythonDict(IReadOnlyList<KeyValuePair<object?, object?>> entries)
{
    public IReadOnlyList<KeyValuePair<object?, object?>> Entries { get; } = entries;
}
