using System.Reflection;
using System.Runtime.CompilerServices;
using NetArchTest.Rules;
using ArchTypes = NetArchTest.Rules.Types;
using Xunit;

namespace Arc.Architecture.Tests;

/// <summary>
/// The layout of docs/architecture.md, enforced: one assembly per folder under src/, one namespace per assembly
/// (its own name), Arc references only along the drawn graph, and the heavy dependencies (TorchSharp, ASP.NET Core,
/// the Kubernetes client) only where the graph puts them.
/// </summary>
public sealed class LayeringTests
{
    public static TheoryData<string> Assemblies => new(AssemblyGraph.Allowed.Keys);

    [Fact]
    public void Every_folder_under_src_is_an_assembly_of_the_graph()
    {
        var folders = AssemblyGraph.SourceFolders().Order().ToArray();
        Assert.Equal(AssemblyGraph.Allowed.Keys.Order().ToArray(), folders);
        foreach (var folder in folders)
            Assert.True(File.Exists(Path.Combine(AssemblyGraph.RepositoryRoot(), "src", folder, folder + ".csproj")),
                $"src/{folder} has no {folder}.csproj: one folder, one project, one assembly of the same name");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Every_type_lives_in_its_assemblys_namespace(string assembly)
    {
        var strays = AssemblyGraph.Load(assembly).GetTypes()
            .Where(t => !IsCompilerMade(t) && t.Namespace != assembly)
            .Select(t => $"{t.FullName} (namespace '{t.Namespace}')")
            .ToArray();
        Assert.True(strays.Length == 0, $"{assembly} holds types outside namespace {assembly}:\n  " + string.Join("\n  ", strays));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Arc_references_follow_the_graph(string assembly)
    {
        var allowed = AssemblyGraph.Allowed[assembly];
        var extra = AssemblyGraph.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Arc.", StringComparison.Ordinal) && !allowed.Contains(n))
            .ToArray();
        Assert.True(extra.Length == 0,
            $"{assembly} references {string.Join(", ", extra)}, outside the graph in docs/architecture.md (allowed: {string.Join(", ", allowed)})");
    }

    [Theory]
    [InlineData("Arc.Types", "TorchSharp")]
    [InlineData("Arc.Types", "Grpc")]
    [InlineData("Arc.Types", "Microsoft.AspNetCore")]
    [InlineData("Arc.Remote", "TorchSharp")]
    [InlineData("Arc.Remote", "Microsoft.AspNetCore")]
    [InlineData("Arc.Remote", "k8s")]
    [InlineData("Arc.Hosting", "TorchSharp")]
    [InlineData("Arc.Hosting", "k8s")]
    [InlineData("Arc.Artifacts", "TorchSharp")]
    [InlineData("Arc.Artifacts", "Grpc")]
    [InlineData("Arc.Artifacts", "Microsoft.AspNetCore")]
    [InlineData("Arc.Kubernetes", "TorchSharp")]
    [InlineData("Arc.Kubernetes", "Microsoft.AspNetCore")]
    // Training records itself through a seam: the stores and their database clients stay out of Arc.Sdk.
    [InlineData("Arc.Sdk", "Microsoft.Data.Sqlite")]
    [InlineData("Arc.Sdk", "Npgsql")]
    [InlineData("Arc.Sdk", "Amazon")]
    [InlineData("Arc.Torch", "Grpc")]
    [InlineData("Arc.Torch", "Microsoft.AspNetCore")]
    public void Heavy_dependencies_stay_where_the_graph_puts_them(string assembly, string forbidden)
    {
        var result = ArchTypes.InAssembly(AssemblyGraph.Load(assembly)).ShouldNot().HaveDependencyOn(forbidden).GetResult();
        Assert.True(result.IsSuccessful,
            $"{assembly} depends on {forbidden} in: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_rules_see_a_reference_that_breaks_the_graph()
    {
        // The checks above must be able to fail: Arc.Sdk does reference Arc.Hosting, so a graph without that edge is broken.
        var sdk = AssemblyGraph.Load("Arc.Sdk").GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.Contains("Arc.Hosting", sdk);
        Assert.False(ArchTypes.InAssembly(AssemblyGraph.Load("Arc.Torch")).ShouldNot().HaveDependencyOn("TorchSharp").GetResult().IsSuccessful);
    }

    // Closures, async state machines, anonymous types, the top-level Program: the compiler names and places them. The
    // generator (netstandard2.0) also carries PolySharp's internal polyfills of newer System types under their own names.
    private static bool IsCompilerMade(Type type)
        => type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)
           || (!type.IsVisible && type.Assembly.GetName().Name == "Arc.Generators" && type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
           || type.Name.Contains('<') || type.FullName?.Contains('<') == true
           || (type.Namespace is null && type.Name is "Program")
           || (type.Namespace is "Microsoft.CodeAnalysis" or "System.Runtime.CompilerServices" && type.Name.EndsWith("Attribute", StringComparison.Ordinal));
}
