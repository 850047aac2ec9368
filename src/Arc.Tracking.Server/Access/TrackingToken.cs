using System.Collections.Frozen;

namespace Arc.Tracking.Server;

/// <summary>
/// A bearer token of a tracking server and the namespaces it opens: a caller sends <c>authorization: Bearer &lt;secret&gt;</c>
/// and may then read or write the namespaces this token names, and no others.
/// </summary>
public sealed class TrackingToken
{
    /// <summary>The namespace key that stands for every namespace, present and future.</summary>
    public const string AnyNamespace = "*";

    /// <summary>The shortest secret accepted: a guessable token would open the namespaces to anyone who can reach the port.</summary>
    public const int MinSecretLength = 16;

    /// <summary>A token named <paramref name="name"/> (it appears in messages, never the secret) with its grants.</summary>
    /// <param name="name">What the token is for (<c>ci</c>, <c>alice</c>): 1–128 letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</param>
    /// <param name="secret">The bearer secret: at least <see cref="MinSecretLength"/> printable ASCII characters without spaces.</param>
    /// <param name="namespaces">Namespace → access; <see cref="AnyNamespace"/> (<c>*</c>) grants every namespace. At least one entry.</param>
    /// <exception cref="ArgumentException">A field breaks its rule; the message names the token (never its secret) and the rule.</exception>
    public TrackingToken(string name, string secret, IReadOnlyDictionary<string, TrackingAccess> namespaces)
    {
        Name = TrackingNames.Name(name, nameof(name), "token name");
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < MinSecretLength || secret.Any(c => c is <= ' ' or > '~'))
            throw new ArgumentException(
                $"token '{Name}': the secret must be at least {MinSecretLength} printable ASCII characters without spaces " +
                "(`arc server init-config` writes a random one)", nameof(secret));
        Secret = secret;
        ArgumentNullException.ThrowIfNull(namespaces);
        if (namespaces.Count == 0)
            throw new ArgumentException($"token '{Name}' grants no namespace: name at least one (or \"{AnyNamespace}\" for all)", nameof(namespaces));
        foreach (var (space, access) in namespaces)
        {
            if (space != AnyNamespace) TrackingNames.Namespace(space, nameof(namespaces));
            if (access is not (TrackingAccess.Read or TrackingAccess.Write))
                throw new ArgumentException($"token '{Name}': access {(int)access} for namespace '{space}' is neither read nor write", nameof(namespaces));
        }
        Namespaces = namespaces.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>What the token is for; appears in messages and logs instead of the secret.</summary>
    public string Name { get; }

    /// <summary>The bearer secret.</summary>
    public string Secret { get; }

    /// <summary>Namespace → access (<see cref="AnyNamespace"/>: every namespace).</summary>
    public IReadOnlyDictionary<string, TrackingAccess> Namespaces { get; }

    /// <summary>
    /// Whether this token may do <paramref name="access"/> in <paramref name="namespace"/>: the greater of its grant for that
    /// namespace and for <see cref="AnyNamespace"/> (writing includes reading).
    /// </summary>
    public bool Allows(string @namespace, TrackingAccess access)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        var named = Namespaces.GetValueOrDefault(@namespace);
        var any = Namespaces.GetValueOrDefault(AnyNamespace);
        return (named > any ? named : any) >= access;
    }

    /// <summary>The name only: a token's text never shows its secret.</summary>
    public override string ToString() => $"TrackingToken {{ Name = {Name} }}";
}
