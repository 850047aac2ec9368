using System.Linq;
using Microsoft.CodeAnalysis;

namespace Arc.Generators;

/// <summary>A diagnostic to report, kept as equatable values until the output step turns it into a <see cref="Diagnostic"/>.</summary>
/// <param name="Descriptor">What is reported (immutable and equatable, so safe to cache).</param>
/// <param name="Location">Where; null for no location.</param>
/// <param name="AdditionalLocations">Related places (ARC0006: the other declarations claiming the name).</param>
/// <param name="MessageArgs">The message's arguments.</param>
internal sealed record DiagnosticInfo(
    DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<LocationInfo> AdditionalLocations, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs)
        => new(descriptor, location, EquatableArray<LocationInfo>.Empty, messageArgs.ToEquatableArray());

    /// <summary>The diagnostic, its locations recreated in <paramref name="compilation"/>'s syntax trees (see <see cref="LocationInfo.ToLocation"/>).</summary>
    public Diagnostic ToDiagnostic(Compilation compilation)
        => Diagnostic.Create(
            Descriptor,
            Location?.ToLocation(compilation) ?? Microsoft.CodeAnalysis.Location.None,
            AdditionalLocations.Select(l => l.ToLocation(compilation)),
            MessageArgs.Cast<object>().ToArray());
}
