using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace Arc.Tracking.Server;

/// <summary>
/// The server's tokens by the SHA-256 of their secrets: a lookup hashes what the caller sent and finds the token by the
/// hash, so no comparison runs on the secret itself and the time a lookup takes tells nothing about how close a guess was.
/// </summary>
internal sealed class TokenTable
{
    private readonly FrozenDictionary<string, TrackingToken> _byHash;

    public TokenTable(IReadOnlyList<TrackingToken> tokens)
    {
        var byHash = new Dictionary<string, TrackingToken>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            ArgumentNullException.ThrowIfNull(token);
            if (!names.Add(token.Name))
                throw new ArgumentException($"two tokens are named '{token.Name}': give each its own name", nameof(tokens));
            if (!byHash.TryAdd(Hash(token.Secret), token))
                throw new ArgumentException($"tokens '{byHash[Hash(token.Secret)].Name}' and '{token.Name}' have the same secret", nameof(tokens));
        }
        _byHash = byHash.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public bool IsEmpty => _byHash.Count == 0;

    /// <summary>The token whose secret is <paramref name="secret"/>, or null.</summary>
    public TrackingToken? Find(string secret) => _byHash.GetValueOrDefault(Hash(secret));

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
