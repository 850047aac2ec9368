using Xunit;

namespace Arc.Architecture.Tests;

/// <summary>
/// Every shipped library under src/ (all but the programs Arc.Worker and Arc.Cli, which export nothing) declares its public API in PublicAPI.Shipped.txt
/// and PublicAPI.Unshipped.txt, which Microsoft.CodeAnalysis.PublicApiAnalyzers checks at build time
/// (build/Arc.PublicApi.targets: RS0016 and RS0017 are errors). This test catches the files going missing, or the
/// analyzer no longer running on a project: a public type of the built assembly that neither file names.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> ShippedLibraries => new(AssemblyGraph.Allowed.Keys.Where(name => name is not ("Arc.Worker" or "Arc.Cli")));

    [Theory]
    [MemberData(nameof(ShippedLibraries))]
    public void Every_public_type_of_a_shipped_library_is_declared(string assembly)
    {
        string folder = Path.Combine(AssemblyGraph.RepositoryRoot(), "src", assembly);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            string path = Path.Combine(folder, file);
            Assert.True(File.Exists(path), $"src/{assembly} has no {file}");
            var lines = File.ReadAllLines(path);
            Assert.True(lines.Length > 0 && lines[0] == "#nullable enable", $"src/{assembly}/{file} must start with '#nullable enable'");
            declared.UnionWith(lines.Skip(1));
        }

        // Unspeakable names (<G>$…) are the compiler's groupings of C# 14 extension members; the files list the members.
        var undeclared = AssemblyGraph.Load(assembly).GetExportedTypes().Where(t => !t.Name.StartsWith('<'))
            .Select(CSharpName).Where(name => !declared.Contains(name)).ToArray();
        Assert.True(undeclared.Length == 0, $"src/{assembly} exports types its PublicAPI files do not name:\n  " + string.Join("\n  ", undeclared));
        Assert.NotEmpty(declared);
    }

    /// <summary>A type as the API files spell it: <c>Arc.Sdk.ModelRegistration&lt;TModel, THyperparameters, X, Y&gt;</c>, nested types after a dot.</summary>
    private static string CSharpName(Type type)
    {
        int inherited = type.DeclaringType?.GetGenericArguments().Length ?? 0;
        var own = type.GetGenericArguments().Skip(inherited).Select(a => a.Name).ToArray();
        string name = type.Name.Contains('`') ? type.Name[..type.Name.IndexOf('`')] : type.Name;
        if (own.Length > 0) name += "<" + string.Join(", ", own) + ">";
        return (type.DeclaringType is { } outer ? CSharpName(outer) : type.Namespace) + "." + name;
    }
}
