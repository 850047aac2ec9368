namespace Arc.Generators;

/// <summary>Names of the pipeline steps, for incremental-caching tests (<c>WithTrackingName</c>).</summary>
internal static class TrackingNames
{
    public const string ModelParse = "Arc.Model.Parse";
    public const string ModelSpec = "Arc.Model.Spec";
    public const string ModelNames = "Arc.Model.Names";
    public const string JobParse = "Arc.Job.Parse";
    public const string JobSpec = "Arc.Job.Spec";
    public const string JobNames = "Arc.Job.Names";
    public const string PodParse = "Arc.Pod.Parse";
    public const string PodSpec = "Arc.Pod.Spec";
    public const string PodNames = "Arc.Pod.Names";
    public const string CommandLineModels = "Arc.CommandLine.Models";
    public const string CommandLineJobs = "Arc.CommandLine.Jobs";
    public const string CommandLineCatalog = "Arc.CommandLine.Catalog";
}
