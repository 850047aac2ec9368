using Microsoft.CodeAnalysis.CSharp;

namespace Arc.Generators;

/// <summary>Registered names, generated property names and identifiers (the name rule is Arc.Sdk's at run time).</summary>
internal static class NameRules
{
    /// <summary>
    /// Names end up in artifact references (OCI tags): 1-128 characters of ASCII letters, digits, '_', '.', '-',
    /// not starting with '.' or '-'.
    /// </summary>
    public static bool IsValidRegisteredName(string name)
    {
        if (name.Length is 0 or > 128 || name[0] is '.' or '-')
            return false;
        foreach (char c in name)
        {
            bool ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '.' or '-';
            if (!ok)
                return false;
        }
        return true;
    }

    /// <summary><c>learningRate</c> → <c>LearningRate</c>: record properties follow .NET naming.</summary>
    public static string ToPascalCase(string name)
        => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <summary>A name as a C# identifier in generated code: <c>@</c> before a reserved keyword (<c>@class</c>), else as is.</summary>
    public static string Identifier(string name)
        => SyntaxFacts.IsReservedKeyword(SyntaxFacts.GetKeywordKind(name)) ? "@" + name : name;
}
