using System.Net;
using System.Text.RegularExpressions;

namespace Arc.Artifacts;

/// <summary>
/// The name and tag grammar of the OCI distribution spec (and the registry host grammar of the reference format
/// that docker and ORAS share), as checks that say which rule a string breaks.
/// </summary>
internal static partial class ArtifactReferenceGrammar
{
    /// <summary>Registries reject longer repository names (host included), so we refuse them up front.</summary>
    public const int MaxNameLength = 255;

    // distribution-spec: <name> = [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    // distribution-spec: <reference> as a tag = [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}
    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    // A DNS name: dot-separated labels of letters, digits and inner hyphens.
    [GeneratedRegex(@"^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    public static string? CheckRepository(string repository)
    {
        if (repository.Length == 0) return "the repository name is empty";
        if (!RepositoryPattern().IsMatch(repository))
            return $"repository name '{OciDigest.Shorten(repository)}' breaks the OCI name grammar: '/'-separated components of lowercase letters " +
                   "and digits, joined inside a component only by '.', '_', '__' or '-'";
        return null;
    }

    public static string? CheckTag(string tag)
    {
        if (TagPattern().IsMatch(tag)) return null;
        return tag.Length > 128
            ? $"tag '{OciDigest.Shorten(tag)}' is {tag.Length} characters; the OCI limit is 128"
            : $"tag '{OciDigest.Shorten(tag)}' breaks the OCI tag grammar: letters, digits, '_', '.', '-', not starting with '.' or '-'";
    }

    public static string? CheckRegistry(string registry)
    {
        if (registry.Length == 0) return "the registry host is empty";
        string host = registry;
        string? port = null;
        if (registry.StartsWith('['))
        {
            int close = registry.IndexOf(']');
            if (close < 0) return $"registry '{registry}' opens an IPv6 address with '[' but never closes it";
            host = registry[..(close + 1)];
            string rest = registry[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') return $"registry '{registry}' has '{rest}' after its IPv6 address; expected ':<port>'";
                port = rest[1..];
            }
            if (!IPAddress.TryParse(host[1..^1], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                return $"registry '{registry}' has an invalid IPv6 address between '[' and ']'";
        }
        else
        {
            int colon = registry.LastIndexOf(':');
            if (colon >= 0)
            {
                host = registry[..colon];
                port = registry[(colon + 1)..];
            }
            if (!DomainPattern().IsMatch(host))
                return $"registry host '{OciDigest.Shorten(host)}' is not a DNS name or IP address (letters, digits, '-' and '.')";
        }
        if (port is not null && (port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit) || int.Parse(port) is 0 or > 65535))
            return $"registry '{registry}' has an invalid port '{port}' (1-65535)";
        return null;
    }

    /// <summary>Loopback registries (localhost, 127.0.0.0/8, ::1) are the only ones Arc talks to over plain HTTP by default.</summary>
    public static bool IsLoopback(string registry)
    {
        string host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']')]
            : registry.Contains(':') ? registry[..registry.LastIndexOf(':')] : registry;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }
}
