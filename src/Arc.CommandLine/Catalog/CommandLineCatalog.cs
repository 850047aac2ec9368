using System.Reflection;

namespace Arc.CommandLine;

/// <summary>The models and jobs of a program with their command-line parameters: what <c>ArcCommandLine.Catalog</c> holds.</summary>
public sealed class CommandLineCatalog
{
    /// <summary>A catalog of <paramref name="models"/> and <paramref name="jobs"/>.</summary>
    public CommandLineCatalog(IReadOnlyList<CommandLineModel> models, IReadOnlyList<CommandLineJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(jobs);
        Models = models;
        Jobs = jobs;
    }

    /// <summary>The <c>[Model]</c> classes, in the order the generator found them.</summary>
    public IReadOnlyList<CommandLineModel> Models { get; }

    /// <summary>The <c>[Job]</c> classes.</summary>
    public IReadOnlyList<CommandLineJob> Jobs { get; }

    /// <summary>The model named <paramref name="name"/>, or null.</summary>
    public CommandLineModel? FindModel(string name) => Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The job named <paramref name="name"/>, or null.</summary>
    public CommandLineJob? FindJob(string name) => Jobs.FirstOrDefault(j => string.Equals(j.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The catalog <paramref name="assembly"/>'s generated <c>ArcCommandLine</c> registered when it loaded
    /// (<see cref="Arc.Sdk.CommandLineCatalogs"/>), or null (it has no generated command line). Tools that load a built
    /// assembly (<c>arc train --assembly</c>) find a program's commands this way, without reflection.
    /// </summary>
    public static CommandLineCatalog? ForAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return Arc.Sdk.CommandLineCatalogs.Find(assembly) as CommandLineCatalog;
    }
}
