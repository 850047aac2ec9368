using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>The Arc and BCL types the parsers compare against, looked up once per transform.</summary>
internal sealed class KnownTypes
{
    public const string ModelAttribute = "Arc.Sdk.ModelAttribute";
    public const string JobAttribute = "Arc.Sdk.JobAttribute";
    public const string PodAttribute = "Arc.Sdk.PodAttribute";
    public const string ProcessorAttribute = "Arc.Datasets.ProcessorAttribute";

    public KnownTypes(Compilation compilation)
    {
        ModelAttributeType = compilation.GetTypeByMetadataName(ModelAttribute);
        JobAttributeType = compilation.GetTypeByMetadataName(JobAttribute);
        PodAttributeType = compilation.GetTypeByMetadataName(PodAttribute);
        SupervisedModel = compilation.GetTypeByMetadataName("Arc.Types.SupervisedModel`2");
        SupervisedJob = compilation.GetTypeByMetadataName("Arc.Sdk.SupervisedJob`2");
        ArcData = compilation.GetTypeByMetadataName("Arc.Types.IArcData`1");
        ReadOnlyList = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyList`1");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        DatasetProcessor = compilation.GetTypeByMetadataName("Arc.Datasets.DatasetProcessor`5");
    }

    public INamedTypeSymbol? ModelAttributeType { get; }
    public INamedTypeSymbol? JobAttributeType { get; }
    public INamedTypeSymbol? PodAttributeType { get; }
    public INamedTypeSymbol? SupervisedModel { get; }
    public INamedTypeSymbol? SupervisedJob { get; }
    public INamedTypeSymbol? ArcData { get; }
    public INamedTypeSymbol? ReadOnlyList { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? DatasetProcessor { get; }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => type is not null && known is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known);

    /// <summary>Whether <paramref name="type"/> implements <c>IArcData&lt;itself&gt;</c>.</summary>
    public bool IsArcData(ITypeSymbol type)
    {
        if (ArcData is null || type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            return false;
        foreach (var candidate in type.AllInterfaces)
            if (Is(candidate, ArcData) && SymbolEqualityComparer.Default.Equals(candidate.TypeArguments[0], type))
                return true;
        return false;
    }
}
