namespace Arc.Tracking;

/// <summary>
/// The rules for every name and text field of the tracking concepts, one place for all of them: the records check their
/// arguments with these methods, so an invalid name never reaches a store, and each refusal is an
/// <see cref="ArgumentException"/> whose message quotes the value and says what is allowed.
/// </summary>
/// <remarks>
/// Namespaces follow DNS labels (they may become Kubernetes namespaces, URL segments and token scopes); experiment, model,
/// job and dataset names allow letters, digits, <c>-</c>, <c>_</c> and <c>.</c>; metric keys, hyperparameter names and
/// label keys also allow <c>/</c> (<c>train/loss</c>). Free text (owner, description, label values) may hold anything but
/// control characters, within a length.
/// </remarks>
public static class TrackingNames
{
    /// <summary>The longest namespace: a DNS label's 63 characters.</summary>
    public const int MaxNamespaceLength = 63;

    /// <summary>The longest experiment, model, job or dataset name.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The longest metric key, hyperparameter name or label key.</summary>
    public const int MaxKeyLength = 250;

    /// <summary>The longest label value.</summary>
    public const int MaxLabelValueLength = 256;

    /// <summary>The longest description of a model.</summary>
    public const int MaxDescriptionLength = 4096;

    /// <summary>The longest string hyperparameter or environment value.</summary>
    public const int MaxValueLength = 8192;

    /// <summary>Checks a namespace: 1–63 lowercase letters, digits and <c>-</c>, starting and ending with a letter or digit.</summary>
    public static string Namespace(string? value, string parameter)
    {
        string text = Required(value, parameter, "namespace");
        bool ok = text.Length <= MaxNamespaceLength
                  && IsLowerAlphanumeric(text[0]) && IsLowerAlphanumeric(text[^1])
                  && text.All(c => IsLowerAlphanumeric(c) || c == '-');
        return ok ? text : throw Invalid(parameter, "namespace", text,
            $"use 1–{MaxNamespaceLength} lowercase letters, digits or '-', starting and ending with a letter or digit (like a DNS label)");
    }

    /// <summary>Checks an experiment, model, job or dataset name: 1–128 letters, digits, <c>-</c>, <c>_</c> or <c>.</c>, starting with a letter or digit.</summary>
    public static string Name(string? value, string parameter, string what)
    {
        string text = Required(value, parameter, what);
        bool ok = text.Length <= MaxNameLength && char.IsAsciiLetterOrDigit(text[0])
                  && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        return ok ? text : throw Invalid(parameter, what, text,
            $"use 1–{MaxNameLength} letters, digits, '-', '_' or '.', starting with a letter or digit");
    }

    /// <summary>Checks a metric key, hyperparameter name or label key: 1–250 letters, digits, <c>-</c>, <c>_</c>, <c>.</c> or <c>/</c>, starting with a letter, digit or <c>_</c>.</summary>
    public static string Key(string? value, string parameter, string what)
    {
        string text = Required(value, parameter, what);
        bool ok = text.Length <= MaxKeyLength && (char.IsAsciiLetterOrDigit(text[0]) || text[0] == '_')
                  && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/');
        return ok ? text : throw Invalid(parameter, what, text,
            $"use 1–{MaxKeyLength} letters, digits, '-', '_', '.' or '/', starting with a letter, digit or '_'");
    }

    /// <summary>Checks free text that may be empty: at most <paramref name="maxLength"/> characters, none a control character except, when <paramref name="multiline"/>, line breaks and tabs.</summary>
    public static string Text(string? value, string parameter, string what, int maxLength, bool multiline = false)
    {
        if (value is null) throw new ArgumentNullException(parameter, $"{what} is required (use \"\" for none)");
        if (value.Length > maxLength)
            throw new ArgumentException($"{what} is {value.Length} characters long; the limit is {maxLength}", parameter);
        foreach (char c in value)
        {
            if (!char.IsControl(c) || (multiline && c is '\n' or '\r' or '\t')) continue;
            throw new ArgumentException($"{what} contains the control character U+{(int)c:X4}; {(multiline ? "only line breaks and tabs are allowed" : "use printable characters only")}", parameter);
        }
        return value;
    }

    /// <summary>Checks free text that must not be empty (an owner, for one).</summary>
    public static string RequiredText(string? value, string parameter, string what, int maxLength)
    {
        string text = Text(value, parameter, what, maxLength);
        return text.Trim().Length > 0 ? text : throw new ArgumentException($"{what} is required and may not be empty or blank", parameter);
    }

    /// <summary>Checks a token with no spaces (a dataset version or hash, an idempotency key, an OCI reference): 1–<paramref name="maxLength"/> printable ASCII characters other than space.</summary>
    public static string Token(string? value, string parameter, string what, int maxLength)
    {
        string text = Required(value, parameter, what);
        bool ok = text.Length <= maxLength && text.All(c => c > ' ' && c < 0x7F);
        return ok ? text : throw Invalid(parameter, what, text, $"use 1–{maxLength} printable ASCII characters without spaces");
    }

    /// <summary>Checks a sha256 digest: exactly 64 lowercase hexadecimal characters (no <c>sha256:</c> prefix).</summary>
    public static string Sha256(string? value, string parameter)
    {
        string text = Required(value, parameter, "sha256");
        bool ok = text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
        return ok ? text : throw Invalid(parameter, "sha256", text, "use exactly 64 lowercase hexadecimal characters, without a 'sha256:' prefix");
    }

    /// <summary>Checks a file name: 1–255 characters, <c>/</c>-separated relative segments, none empty, <c>.</c> or <c>..</c>, no <c>\</c> and no control characters.</summary>
    public static string FileName(string? value, string parameter)
    {
        string text = Required(value, parameter, "file name");
        bool ok = text.Length <= 255 && !text.Any(c => char.IsControl(c) || c == '\\')
                  && text.Split('/').All(segment => segment.Length > 0 && segment is not "." and not "..");
        return ok ? text : throw Invalid(parameter, "file name", text,
            "use a relative path of 1–255 characters: segments separated by '/', none empty, '.' or '..', no '\\' or control characters");
    }

    /// <summary>Checks an id that a store gave out: 1–64 letters or digits. A well-formed id that no object has is a store's NotFound, not this.</summary>
    public static string Id(string? value, string parameter, string what)
    {
        string text = Required(value, parameter, what);
        bool ok = text.Length <= 64 && text.All(char.IsAsciiLetterOrDigit);
        return ok ? text : throw Invalid(parameter, what, text, "an id is 1–64 letters or digits, as a store returned it");
    }

    private static string Required(string? value, string parameter, string what)
    {
        if (value is null) throw new ArgumentNullException(parameter, $"{what} is required");
        if (value.Length == 0) throw new ArgumentException($"{what} is required and may not be empty", parameter);
        return value;
    }

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiDigit(c) || c is >= 'a' and <= 'z';

    private static ArgumentException Invalid(string parameter, string what, string value, string rule)
        => new($"{what} '{Quote(value)}' is invalid: {rule}", parameter);

    // Long or unprintable values are quoted shortened and escaped, so the message stays one readable line.
    private static string Quote(string value)
    {
        string shown = value.Length > 80 ? value[..80] + "…" : value;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
