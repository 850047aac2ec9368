using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Samples;

/// <summary>
/// The example program of docs/data-types.md, compiled from the document with Roslyn and run in this process: it
/// builds every data type and must print exactly the output the document shows after it.
/// </summary>
public sealed class DocumentedExamplesTests
{
    // What a project with ImplicitUsings has, plus a Console that writes where the test says (the real one is shared by
    // every test running in parallel). An alias wins over the System.Console that `global using System` brings.
    private const string Prelude = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using Console = DocumentedExample.DocumentedConsole;

        namespace DocumentedExample
        {
            public static class DocumentedConsole
            {
                public static System.IO.TextWriter Out { get; set; } = System.IO.TextWriter.Null;
                public static void WriteLine(object? value) => Out.WriteLine(value);
                public static void WriteLine(string? value) => Out.WriteLine(value);
            }
        }
        """;

    [Fact]
    public void The_data_types_example_builds_every_type_and_prints_what_the_document_shows()
    {
        var blocks = RepositoryFiles.CodeBlocks("docs/data-types.md", "Every type, made from plain arrays");
        string program = Assert.Single(blocks, b => b.Language == "csharp").Code;
        string expected = Assert.Single(blocks, b => b.Language == "text").Code;

        string printed = Run(program);

        Assert.Equal(expected.TrimEnd(), printed.ReplaceLineEndings("\n").TrimEnd());
    }

    private static string Run(string program)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => MetadataReference.CreateFromFile(path));
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create("DocumentedExample",
            [CSharpSyntaxTree.ParseText(program, options, "example.cs"), CSharpSyntaxTree.ParseText(Prelude, options, "prelude.cs")],
            references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        var context = new AssemblyLoadContext("documented example", isCollectible: true);
        try
        {
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            var output = new StringWriter();
            assembly.GetType("DocumentedExample.DocumentedConsole", throwOnError: true)!.GetProperty("Out")!.SetValue(null, output);
            var entry = assembly.EntryPoint!;
            entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            return output.ToString();
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new InvalidOperationException($"the documented example threw: {inner}", inner);
        }
        finally
        {
            context.Unload();
        }
    }
}
