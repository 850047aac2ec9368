using Arc.Sdk;
namespace Arc.Generators.Tests.Infrastructure;

/// <summary>
/// Tests that register into the process-wide <see cref="Arc.Sdk.ArcRegistry"/> run one at a time, so two
/// of them never load the same test input (and its names) at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection
{
    public const string Name = "ArcRegistry";
}
