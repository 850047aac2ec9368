using System.Text;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// <c>text/plain</c> (UTF-8): reads <see cref="TextData"/>, one sample per line (a final line break ends the last one
/// and adds none); writes <see cref="TextData"/> the same way and <see cref="ClassData"/> as one class name per line,
/// which is what a person with <c>curl</c> wants to read.
/// </summary>
internal sealed class TextContentCodec : IContentCodec
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string ContentType => ContentTypes.PlainText;

    public bool CanRead<T>() where T : class, IArcData<T> => typeof(T) == typeof(TextData);

    public bool CanWrite<T>() where T : class, IArcData<T> => typeof(T) == typeof(TextData) || typeof(T) == typeof(ClassData);

    public T Read<T>(ReadOnlyMemory<byte> data, ValueContract? contract) where T : class, IArcData<T>
    {
        string text;
        try { text = Strict.GetString(data.Span); }
        catch (DecoderFallbackException e) { throw new ArcFormatException($"text/plain body is not UTF-8 (at byte {e.Index})", e); }
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length > 1 && lines[^1].Length == 0) lines = lines[..^1];
        return (T)(object)new TextData(lines);
    }

    public byte[] Write<T>(T value) where T : class, IArcData<T>
    {
        IEnumerable<string> lines = value switch
        {
            TextData text => text.Texts,
            ClassData classes => Enumerable.Range(0, classes.Count).Select(i => NameOf(classes, i)),
            _ => throw new NotSupportedException($"text/plain cannot hold {typeof(T).Name}"),
        };
        var builder = new StringBuilder();
        foreach (var line in lines) builder.Append(line).Append('\n');
        return Strict.GetBytes(builder.ToString());
    }

    // An index outside the names (a model with more outputs than names) is written as the number, not dropped.
    private static string NameOf(ClassData classes, int row)
    {
        long index = classes.IndexSpan[row];
        return index >= 0 && index < classes.ClassNames.Count ? classes.ClassNames[(int)index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
