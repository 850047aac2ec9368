using System.Runtime.CompilerServices;
using Arc.Types;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace Arc.Interactive;

/// <summary>
/// Arc in a Polyglot (.NET Interactive) notebook (docs/notebooks.md). In the first C# cell:
/// <code>
/// #r "path/to/Arc.Interactive.dll"
/// Arc.Interactive.ArcNotebook.Enable();
/// </code>
/// Then a cell that declares <c>[Model]</c>, <c>[Job]</c> or <c>[Pod]</c> types gets the code Arc's generator writes in a
/// project (DeployAsync, Registration, Client...) and its ARC diagnostics at the cell's lines; those models run on every
/// target, <c>Target.LocalProcess</c> included (the worker loads the cell's compiled assembly); and Arc's values show
/// as pictures and tables.
/// </summary>
public static class ArcNotebook
{
    private static readonly Lock Gate = new();
    // Weak: a disposed kernel (and its compiler) is not kept alive by having been enabled once.
    private static readonly ConditionalWeakTable<Kernel, CellCompiler> Enabled = [];

    /// <summary>Enables Arc in the C# kernel that runs the calling cell; calling it again does nothing.</summary>
    /// <returns>A line that says what is enabled.</returns>
    /// <exception cref="InvalidOperationException">Not called from a notebook cell.</exception>
    public static string Enable()
    {
        // Before anything touches an Arc type: the kernel is another program, whose dependency list lacks Arc's.
        NotebookAssemblyResolution.Install();
        return EnableInKernel();
    }

    /// <summary>A progress display for <c>TrainAsync</c> that updates in place in the calling cell's output.</summary>
    /// <exception cref="InvalidOperationException">Not called from a notebook cell.</exception>
    public static NotebookTrainProgress Progress() => new(CurrentContext());

    /// <summary>The first images of <paramref name="images"/> as one picture (image/png), with optional captions.</summary>
    public static ImageGrid Grid(ImageData images, int columns = 8, IReadOnlyList<string>? captions = null) => new(images, columns, captions);

    /// <summary>
    /// Shows the first images of <paramref name="images"/> in the calling cell's output as one picture, in both
    /// <c>image/png</c> and HTML (with the captions), whatever MIME type the front end prefers for other values.
    /// </summary>
    /// <returns>The grid shown.</returns>
    public static ImageGrid Show(ImageData images, int columns = 8, IReadOnlyList<string>? captions = null)
    {
        var grid = new ImageGrid(images, columns, captions);
        var context = CurrentContext();
        context.Publish(new Microsoft.DotNet.Interactive.Events.DisplayedValueProduced(grid, context.Command,
            [new FormattedValue("image/png", Convert.ToBase64String(grid.Png)), new FormattedValue(HtmlFormatter.MimeType, HtmlViews.Grid(grid))]));
        return grid;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string EnableInKernel()
    {
        var kernel = CurrentContext().HandlingKernel;
        PackagedArc.Prepare(); // Arc from packages: the worker's folder and the patched native library
        lock (Gate)
        {
            if (Enabled.TryGetValue(kernel, out _)) return "Arc is already enabled in this kernel";
            // One compiler per kernel: the aliases it writes name assemblies that kernel has referenced.
            var compiler = new CellCompiler();
            Enabled.Add(kernel, compiler);
            kernel.RegisterForDisposal(compiler); // its folder goes with the kernel
            kernel.AddMiddleware(CellMiddleware.Create(compiler), "Arc cells");
            ArcFormatters.Register();
        }
        return $"Arc is enabled in kernel '{kernel.Name}': cells with [Model], [Job] or [Pod] are compiled with Arc's generator";
    }

    /// <summary>The folder <paramref name="kernel"/>'s cell assemblies are compiled into, or null where Arc is not enabled.</summary>
    internal static string? CellFolder(Kernel kernel)
    {
        lock (Gate) return Enabled.TryGetValue(kernel, out var compiler) ? compiler.Folder : null;
    }

    private static KernelInvocationContext CurrentContext()
        => KernelInvocationContext.Current ?? throw new InvalidOperationException("call this from a cell of a .NET Interactive (Polyglot) notebook");
}
