using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

namespace Arc.Interactive.Tests;

/// <summary>A real C# kernel with Arc enabled the way a notebook's first cell enables it.</summary>
internal sealed class NotebookKernel : IDisposable
{
    private readonly CSharpKernel _kernel = new();

    public static async Task<NotebookKernel> StartAsync()
    {
        var notebook = new NotebookKernel();
        var enabled = await notebook.RunAsync($"#r \"{typeof(ArcNotebook).Assembly.Location}\"\nArc.Interactive.ArcNotebook.Enable()");
        enabled.AssertSucceeded();
        return notebook;
    }

    /// <summary>Runs one cell and returns what it produced.</summary>
    public async Task<Cell> RunAsync(string code)
    {
        var result = await _kernel.SendAsync(new SubmitCode(code), TestContext.Current.CancellationToken);
        return new Cell(code, result.Events.ToList());
    }

    /// <summary>The C# kernel the cells run in.</summary>
    public Kernel Kernel => _kernel;

    public void Dispose() => _kernel.Dispose();
}

/// <summary>The events of one cell's run.</summary>
internal sealed record Cell(string Code, IReadOnlyList<KernelEvent> Events)
{
    public CommandFailed? Failure => Events.OfType<CommandFailed>().FirstOrDefault();

    public IEnumerable<Diagnostic> Diagnostics => Events.OfType<DiagnosticsProduced>().SelectMany(d => d.Diagnostics);

    /// <summary>The cell's return value in <paramref name="mimeType"/>.</summary>
    public string? Returned(string mimeType = "text/plain")
        => Events.OfType<ReturnValueProduced>().SelectMany(r => r.FormattedValues).FirstOrDefault(v => v.MimeType == mimeType)?.Value;

    /// <summary>Every displayed or updated value in <paramref name="mimeType"/>, in order.</summary>
    public IReadOnlyList<string> Displayed(string mimeType)
        => Events.OfType<DisplayEvent>().SelectMany(d => d.FormattedValues).Where(v => v.MimeType == mimeType).Select(v => v.Value).ToList();

    public void AssertSucceeded() => Assert.True(Failure is null, $"the cell failed: {Failure?.Message}\n{Code}");
}
