using System;
using System.Text;

namespace Arc.Generators;

/// <summary>
/// Builds indented C# text, as System.Text.Json's generator does: every line written gets the current indentation,
/// including each line of a multi-line raw-string template, so a template is written at column 0 and lands where the
/// writer stands. Lines end with '\n' on every OS (a template's '\r' from a Windows checkout is dropped), so the output
/// is the same everywhere.
/// </summary>
internal sealed class SourceWriter
{
    private const int SpacesPerLevel = 4;

    private readonly StringBuilder _text = new();
    private int _indentation;

    /// <summary>How many levels deep the next line is indented.</summary>
    public int Indentation
    {
        get => _indentation;
        set => _indentation = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "indentation cannot be negative");
    }

    /// <summary>An empty line (no trailing spaces).</summary>
    public void WriteLine() => _text.Append('\n');

    /// <summary>
    /// Writes <paramref name="text"/> and a line end. Every line of a multi-line text is indented to the current level;
    /// empty lines stay empty.
    /// </summary>
    public void WriteLine(string text)
    {
        int start = 0;
        while (true)
        {
            int end = text.IndexOf('\n', start);
            int length = (end < 0 ? text.Length : end) - start;
            if (length > 0 && text[start + length - 1] == '\r')
                length--;
            if (length > 0)
                _text.Append(' ', _indentation * SpacesPerLevel).Append(text, start, length);
            _text.Append('\n');
            if (end < 0)
                return;
            start = end + 1;
        }
    }

    /// <summary>Writes <paramref name="header"/> (one or more lines) and an opening brace, and indents.</summary>
    public void OpenBlock(string header)
    {
        WriteLine(header);
        WriteLine("{");
        _indentation++;
    }

    /// <summary>Dedents and writes a closing brace followed by <paramref name="suffix"/> (e.g. <c>;</c>).</summary>
    public void CloseBlock(string suffix = "")
    {
        Indentation--;
        WriteLine("}" + suffix);
    }

    /// <inheritdoc />
    public override string ToString() => _text.ToString();
}
