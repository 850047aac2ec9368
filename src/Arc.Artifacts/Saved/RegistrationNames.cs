namespace Arc.Artifacts;

/// <summary>The rule for registered names, shared with the generator's ARC0013 check.</summary>
internal static class RegistrationNames
{
    /// <summary>
    /// Names end up in artifact references (OCI tags), so they follow the tag grammar: 1-128 characters of ASCII
    /// letters, digits, '_', '.', '-', not starting with '.' or '-'.
    /// </summary>
    public static string Check(string name, string kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValid(name))
            throw new ArgumentException(
                $"'{name}' is not a valid {kind} name: use 1-128 characters of letters, digits, '_', '.' and '-', starting with a letter, digit or '_'",
                nameof(name));
        return name;
    }

    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > 128 || name[0] is '.' or '-')
            return false;
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
                return false;
        return true;
    }
}
