namespace Arc.Artifacts;

/// <summary>
/// Which artifacts a reader accepts by who made them. A saved model or job is code: connecting to one runs its bundle,
/// so <see cref="RequireSigned(ArtifactPublicKey[])"/> should guard anything pulled from a store others can write to.
/// <see cref="None"/> (the default, for compatibility) checks no signature at all: content is still verified against
/// its digests, which proves it is what the reference names, not who made it.
/// </summary>
public sealed class ArtifactTrustPolicy
{
    ArtifactTrustPolicy(IReadOnlyList<ArtifactPublicKey> trustedKeys) => TrustedKeys = trustedKeys;

    /// <summary>
    /// Accept any artifact, signed or not, and look at no signature. Signatures are not checked "when present" either:
    /// with no trusted key nothing could be learnt from them, and whoever can strip or swap a signature could do so.
    /// </summary>
    public static ArtifactTrustPolicy None { get; } = new([]);

    /// <summary>
    /// Accept only artifacts that carry a valid signature, made for exactly this manifest, by one of
    /// <paramref name="trustedKeys"/>; refuse everything else with <see cref="ArtifactTrustException"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No key was given (a policy that trusts nobody refuses everything; say so with a key).</exception>
    public static ArtifactTrustPolicy RequireSigned(params ArtifactPublicKey[] trustedKeys) => RequireSigned((IEnumerable<ArtifactPublicKey>)trustedKeys);

    /// <summary>As <see cref="RequireSigned(ArtifactPublicKey[])"/>.</summary>
    public static ArtifactTrustPolicy RequireSigned(IEnumerable<ArtifactPublicKey> trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(trustedKeys);
        var keys = trustedKeys.Select(key => key ?? throw new ArgumentException("a trusted key is null", nameof(trustedKeys))).Distinct().ToList();
        if (keys.Count == 0)
            throw new ArgumentException("RequireSigned needs at least one trusted public key (ArtifactPublicKey.Load(\"signer.pub.pem\"))", nameof(trustedKeys));
        return new ArtifactTrustPolicy(keys);
    }

    /// <summary>Whether an artifact must carry a signature by a trusted key (false only for <see cref="None"/>).</summary>
    public bool RequiresSignature => TrustedKeys.Count > 0;

    /// <summary>The keys whose signatures are accepted; empty for <see cref="None"/>.</summary>
    public IReadOnlyList<ArtifactPublicKey> TrustedKeys { get; }

    internal ArtifactPublicKey? Find(string keyId) => TrustedKeys.FirstOrDefault(key => key.KeyId == keyId);

    /// <inheritdoc/>
    public override string ToString() => RequiresSignature
        ? $"RequireSigned({string.Join(", ", TrustedKeys.Select(key => key.KeyId))})"
        : "None";
}

/// <summary>Why a trust policy refused an artifact (<see cref="ArtifactTrustException.Failure"/>).</summary>
public enum ArtifactTrustFailure
{
    /// <summary>The artifact has no signature at all.</summary>
    Unsigned,

    /// <summary>It is signed, but only by keys the policy does not trust.</summary>
    UntrustedKey,

    /// <summary>A signature naming a trusted key does not verify (or could not be read): the signature or what it covers was altered.</summary>
    InvalidSignature,

    /// <summary>A valid signature by a trusted key was made for another manifest than this one.</summary>
    WrongSubject,
}

/// <summary>
/// An artifact refused by an <see cref="ArtifactTrustPolicy"/>, before any of its code was extracted or run.
/// <see cref="ArtifactStoreException.Reference"/> names it; the message says why and what to do.
/// </summary>
public sealed class ArtifactTrustException : ArtifactStoreException
{
    /// <summary>Creates the exception.</summary>
    public ArtifactTrustException(string reference, ArtifactTrustFailure failure, string message, IReadOnlyList<string>? findings = null)
        : base(reference, message)
    {
        Failure = failure;
        Findings = findings ?? [];
    }

    /// <summary>The reason, the most serious one found.</summary>
    public ArtifactTrustFailure Failure { get; }

    /// <summary>What was found about each signature examined, one line each.</summary>
    public IReadOnlyList<string> Findings { get; }
}
