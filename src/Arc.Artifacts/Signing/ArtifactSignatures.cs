using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Arc.Artifacts;

/// <summary>
/// Signs artifacts and checks their signatures, in the spirit of Notation and cosign: a signature is a small OCI
/// manifest of its own (<see cref="ArtifactType"/>) whose <c>subject</c> is the signed manifest, pushed as one of its
/// referrers (<see cref="IArtifactStore.PushReferrerAsync"/>). Its one layer is a DSSE envelope
/// (<see cref="EnvelopeMediaType"/>) holding the signed statement (<see cref="PayloadType"/>: the manifest's media type,
/// digest and size, its artifact type, the signer's key id and the time) and an ECDSA P-256 SHA-256 signature over the
/// DSSE pre-authentication encoding of exactly those bytes. The manifest digest covers every blob, so the signature
/// covers the whole artifact. See docs/artifacts.md, "Signing and trust".
/// </summary>
public static class ArtifactSignatures
{
    /// <summary>The artifact type of a signature manifest.</summary>
    public const string ArtifactType = "application/vnd.arc.signature.v1+json";

    /// <summary>The media type of the signature's layer, a DSSE envelope (JSON).</summary>
    public const string EnvelopeMediaType = "application/vnd.arc.signature.envelope.v1+json";

    /// <summary>The DSSE payload type of the signed statement (JSON); part of what is signed, so a statement cannot be read as another kind.</summary>
    public const string PayloadType = "application/vnd.arc.signature.payload.v1+json";

    /// <summary>The manifest annotation of a signature that names its key id (so a verifier can skip signatures by keys it does not trust).</summary>
    public const string KeyIdAnnotation = "vnd.arc.signature.key";

    const string EnvelopeTitle = "signature.dsse.json";
    const string StatementType = "arc.artifact-signature.v1";
    const int MaxEnvelopeBytes = 64 * 1024;
    const int MaxSignaturesChecked = 32;
    const int MaxEnvelopeSignatures = 16;

    /// <summary>
    /// Signs the artifact <paramref name="reference"/> names (by tag or digest) with <paramref name="key"/> and pushes the
    /// signature next to it. Signing again with the same key, where a valid signature by it exists, pushes nothing.
    /// </summary>
    public static async Task<ArtifactSignature> SignAsync(ArtifactReference reference, ArtifactSigningKey key, OciRegistryOptions? registryOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(key);
        if (reference.TagOrDigest is not { } selector)
            throw new ArgumentException($"'{reference}' names a repository, not an artifact: add :<tag> or @sha256:<digest>", nameof(reference));
        using var store = ArtifactStores.Open(reference, registryOptions);
        var manifest = await store.PullManifestAsync(selector, cancellationToken).ConfigureAwait(false);
        return await SignAsync(store, manifest, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Signs <paramref name="manifest"/> (a manifest in <paramref name="store"/>) with <paramref name="key"/> and pushes the
    /// signature as its referrer. Signing again with the same key, where a valid signature by it exists, pushes nothing.
    /// </summary>
    public static async Task<ArtifactSignature> SignAsync(IArtifactStore store, PulledManifest manifest, ArtifactSigningKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(key);
        // Idempotent, as saving equal content is: one signature per key and manifest is enough, and the referrers index stays small.
        var (existing, _) = await FindValidAsync(store, manifest, ArtifactTrustPolicy.RequireSigned(key.PublicKey), cancellationToken).ConfigureAwait(false);
        if (existing is not null) return existing;

        var subject = new OciDescriptor(OciMediaTypes.ImageManifest, manifest.Digest, manifest.Bytes.Length);
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        byte[] payload = WriteStatement(subject, manifest.Manifest.ArtifactType, key.KeyId, signedAt);
        byte[] envelope = WriteEnvelope(payload, key.KeyId, key.Sign(PreAuthenticationEncoding(PayloadType, payload)));
        var prepared = await new ArtifactContent(ArtifactType)
            .WithSubject(subject)
            .AddLayer(EnvelopeTitle, EnvelopeMediaType, envelope)
            .Annotate(KeyIdAnnotation, key.KeyId)
            .Annotate(OciAnnotations.Created, FormatTime(signedAt))
            .PrepareAsync(cancellationToken).ConfigureAwait(false);
        var digest = await store.PushReferrerAsync(prepared, cancellationToken).ConfigureAwait(false);
        return new ArtifactSignature(digest, subject, manifest.Manifest.ArtifactType, key.KeyId, signedAt);
    }

    /// <summary>
    /// Pulls the artifact <paramref name="reference"/> names and checks it against <paramref name="policy"/>: returns the
    /// signature that satisfied it (null under <see cref="ArtifactTrustPolicy.None"/>, which checks nothing).
    /// </summary>
    /// <exception cref="ArtifactTrustException">The policy refuses the artifact; the message says why.</exception>
    public static async Task<ArtifactSignature?> VerifyAsync(ArtifactReference reference, ArtifactTrustPolicy policy, OciRegistryOptions? registryOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(policy);
        if (reference.TagOrDigest is not { } selector)
            throw new ArgumentException($"'{reference}' names a repository, not an artifact: add :<tag> or @sha256:<digest>", nameof(reference));
        using var store = ArtifactStores.Open(reference, registryOptions);
        var manifest = await store.PullManifestAsync(selector, cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(store, manifest, policy, reference.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks <paramref name="manifest"/> (pulled from <paramref name="store"/>) against <paramref name="policy"/>: under
    /// <see cref="ArtifactTrustPolicy.RequireSigned(ArtifactPublicKey[])"/> one of its referrers must be a signature by a
    /// trusted key that verifies and names exactly this manifest (digest, size, media type). Returns that signature, or
    /// null under <see cref="ArtifactTrustPolicy.None"/> (nothing is read). <paramref name="reference"/> names the artifact
    /// in the error (default: its digest reference).
    /// </summary>
    /// <exception cref="ArtifactTrustException">The policy refuses the artifact; the message says why.</exception>
    public static async Task<ArtifactSignature?> VerifyAsync(IArtifactStore store, PulledManifest manifest, ArtifactTrustPolicy policy, string? reference = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(policy);
        if (!policy.RequiresSignature) return null;
        string name = reference is null ? manifest.Reference.ToString() : $"{reference} ({manifest.Digest})";
        var (signature, findings) = await FindValidAsync(store, manifest, policy, cancellationToken).ConfigureAwait(false);
        if (signature is not null) return signature;
        throw Refusal(name, policy, findings);
    }

    /// <summary>The first signature of <paramref name="manifest"/> that satisfies <paramref name="policy"/>, and what was found about the others.</summary>
    static async Task<(ArtifactSignature? Signature, List<Finding> Findings)> FindValidAsync(IArtifactStore store, PulledManifest manifest, ArtifactTrustPolicy policy,
        CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var referrers = await store.ListReferrersAsync(manifest.Digest, ArtifactType, cancellationToken).ConfigureAwait(false);
        // Signatures by trusted keys first (by their annotation, which is only a hint: the envelope is what is checked).
        var candidates = referrers
            .Where(referrer => referrer.ArtifactType == ArtifactType)
            .OrderBy(referrer => referrer.Annotations.TryGetValue(KeyIdAnnotation, out var keyId) && policy.Find(keyId) is not null ? 0 : 1)
            .Take(MaxSignaturesChecked);
        foreach (var referrer in candidates)
        {
            try
            {
                var signature = await CheckAsync(store, manifest, referrer, policy, findings, cancellationToken).ConfigureAwait(false);
                if (signature is not null) return (signature, findings);
            }
            catch (Exception e) when (e is ArtifactFormatException or ArtifactIntegrityException or ArtifactNotFoundException)
            {
                // A signature that cannot be read intact is no signature; it may have been tampered with in storage.
                findings.Add(new Finding(ArtifactTrustFailure.InvalidSignature, $"signature {referrer.Digest}: unreadable: {e.Message}"));
            }
        }
        return (null, findings);
    }

    /// <summary>Checks one referrer; the signature when it satisfies the policy, else null with a finding added.</summary>
    static async Task<ArtifactSignature?> CheckAsync(IArtifactStore store, PulledManifest manifest, OciDescriptor referrer, ArtifactTrustPolicy policy,
        List<Finding> findings, CancellationToken cancellationToken)
    {
        string where = $"signature {referrer.Digest}";
        var pulled = await store.PullManifestAsync(referrer.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        var signatureManifest = pulled.Manifest;
        if (signatureManifest.ArtifactType != ArtifactType)
        {
            findings.Add(new Finding(ArtifactTrustFailure.InvalidSignature, $"{where}: is a '{signatureManifest.ArtifactType}', not a signature"));
            return null;
        }
        if (signatureManifest.Subject?.Digest != manifest.Digest)
        {
            findings.Add(new Finding(ArtifactTrustFailure.WrongSubject, $"{where}: refers to {signatureManifest.Subject?.Digest.ToString() ?? "nothing"}, not to {manifest.Digest}"));
            return null;
        }
        var layer = signatureManifest.Layers.Count == 1 && signatureManifest.Layers[0].MediaType == EnvelopeMediaType
            ? signatureManifest.Layers[0]
            : throw new ArtifactFormatException(pulled.Reference.ToString(), $"a signature manifest has exactly one layer of type {EnvelopeMediaType}");
        var envelope = ReadEnvelope(await store.ReadBlobAsync(layer, MaxEnvelopeBytes, cancellationToken).ConfigureAwait(false), pulled.Reference.ToString());
        var encoded = PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload);
        foreach (var (keyId, signatureBytes) in envelope.Signatures)
        {
            if (policy.Find(keyId) is not { } trusted)
            {
                findings.Add(new Finding(ArtifactTrustFailure.UntrustedKey, $"{where}: signed by key {keyId}, which the policy does not trust"));
                continue;
            }
            if (envelope.PayloadType != PayloadType || !trusted.Verify(encoded, signatureBytes))
            {
                findings.Add(new Finding(ArtifactTrustFailure.InvalidSignature, $"{where}: names trusted key {keyId}, but the signature does not verify (altered signature or statement)"));
                continue;
            }
            // Verified bytes only from here on: what the signer stated must be exactly this manifest.
            var statement = ReadStatement(envelope.Payload, pulled.Reference.ToString());
            var expected = new OciDescriptor(OciMediaTypes.ImageManifest, manifest.Digest, manifest.Bytes.Length);
            if (statement.Subject.Digest != expected.Digest || statement.Subject.Size != expected.Size || statement.Subject.MediaType != expected.MediaType)
            {
                findings.Add(new Finding(ArtifactTrustFailure.WrongSubject,
                    $"{where}: a valid signature by trusted key {keyId}, but made for {statement.Subject.Digest} ({statement.Subject.Size} bytes), not for {manifest.Digest} ({expected.Size} bytes)"));
                continue;
            }
            if (statement.KeyId != keyId || statement.ArtifactType != manifest.Manifest.ArtifactType)
            {
                findings.Add(new Finding(ArtifactTrustFailure.WrongSubject,
                    $"{where}: the signed statement names key {statement.KeyId} and artifact type '{statement.ArtifactType}', not {keyId} and '{manifest.Manifest.ArtifactType}'"));
                continue;
            }
            return new ArtifactSignature(pulled.Digest, expected, statement.ArtifactType, keyId, statement.SignedAt);
        }
        return null;
    }

    static ArtifactTrustException Refusal(string name, ArtifactTrustPolicy policy, List<Finding> findings)
    {
        var failure = findings.Count == 0
            ? ArtifactTrustFailure.Unsigned
            : findings.Select(finding => finding.Failure).Max(); // the enum is ordered by seriousness: evidence of tampering wins
        string why = failure switch
        {
            ArtifactTrustFailure.Unsigned =>
                $"it has no signature (no referrer of type {ArtifactType}). Save it with a signing key, or sign it with ArtifactSignatures.SignAsync, " +
                "or connect with ArtifactTrustPolicy.None only if you trust where it came from",
            ArtifactTrustFailure.UntrustedKey =>
                "it is signed only by keys the policy does not trust. Add the signer's public key to ArtifactTrustPolicy.RequireSigned if you trust them",
            ArtifactTrustFailure.InvalidSignature =>
                "a signature naming a trusted key does not verify: the signature or the statement it signs was altered. Do not use this artifact",
            _ => "a signature by a trusted key was made for another manifest, not this one (a signature copied from another artifact). Do not use this artifact",
        };
        var lines = findings.Select(finding => finding.Text).ToList();
        string message = $"{name} is refused by the trust policy {policy}: {why}; nothing of it was extracted or run."
                         + (lines.Count == 0 ? "" : " Signatures examined:" + string.Concat(lines.Select(line => "\n  - " + line)));
        return new ArtifactTrustException(name, failure, message, lines);
    }

    /// <summary>DSSE's pre-authentication encoding: <c>"DSSEv1" SP len(type) SP type SP len(body) SP body</c>; what is signed.</summary>
    internal static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        byte[] type = Encoding.UTF8.GetBytes(payloadType);
        byte[] head = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} {payloadType} {payload.Length} "));
        var encoded = new byte[head.Length + payload.Length];
        head.CopyTo(encoded, 0);
        payload.CopyTo(encoded.AsSpan(head.Length));
        return encoded;
    }

    static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    static readonly JsonWriterOptions WriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // The statement is written once, signed as bytes and verified as the same bytes: no canonicalization on the reading side.
    internal static byte[] WriteStatement(OciDescriptor subject, string? artifactType, string keyId, DateTimeOffset signedAt)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriteOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", StatementType);
            writer.WritePropertyName("subject");
            OciJson.WriteDescriptor(writer, subject);
            if (artifactType is not null) writer.WriteString("artifactType", artifactType);
            writer.WriteString("keyId", keyId);
            writer.WriteString("signedAt", FormatTime(signedAt));
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    internal static byte[] WriteEnvelope(byte[] payload, string keyId, byte[] signature)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriteOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("payloadType", PayloadType);
            writer.WriteString("payload", Convert.ToBase64String(payload));
            writer.WriteStartArray("signatures");
            writer.WriteStartObject();
            writer.WriteString("keyid", keyId);
            writer.WriteString("sig", Convert.ToBase64String(signature));
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    internal sealed record Envelope(string PayloadType, byte[] Payload, IReadOnlyList<(string KeyId, byte[] Signature)> Signatures);

    internal sealed record Statement(OciDescriptor Subject, string? ArtifactType, string KeyId, DateTimeOffset SignedAt);

    internal static Envelope ReadEnvelope(byte[] json, string source)
    {
        using var document = Parse(json, source, "signature envelope");
        var root = document.RootElement;
        Require(root.ValueKind == JsonValueKind.Object, source, "the signature envelope must be a JSON object");
        string payloadType = RequiredString(root, "payloadType", source);
        byte[] payload = Base64(RequiredString(root, "payload", source), source, "payload");
        Require(root.TryGetProperty("signatures", out var signatures) && signatures.ValueKind == JsonValueKind.Array
                && signatures.GetArrayLength() is > 0 and <= MaxEnvelopeSignatures, source,
            $"the envelope's signatures must be an array of 1 to {MaxEnvelopeSignatures} entries");
        var list = new List<(string, byte[])>();
        foreach (var entry in signatures.EnumerateArray())
        {
            Require(entry.ValueKind == JsonValueKind.Object, source, "each envelope signature must be an object");
            list.Add((RequiredString(entry, "keyid", source), Base64(RequiredString(entry, "sig", source), source, "sig")));
        }
        return new Envelope(payloadType, payload, list);
    }

    internal static Statement ReadStatement(byte[] json, string source)
    {
        using var document = Parse(json, source, "signed statement");
        var root = document.RootElement;
        Require(root.ValueKind == JsonValueKind.Object, source, "the signed statement must be a JSON object");
        Require(RequiredString(root, "type", source) == StatementType, source, $"the signed statement's type must be '{StatementType}'");
        Require(root.TryGetProperty("subject", out var subject), source, "the signed statement has no subject");
        string? artifactType = root.TryGetProperty("artifactType", out var type) && type.ValueKind != JsonValueKind.Null
            ? type.ValueKind == JsonValueKind.String ? type.GetString() : throw new ArtifactFormatException(source, "the statement's artifactType must be a string")
            : null;
        Require(DateTimeOffset.TryParseExact(RequiredString(root, "signedAt", source), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var signedAt), source, "the statement's signedAt must be a UTC time (yyyy-MM-ddTHH:mm:ssZ)");
        return new Statement(OciJson.ReadDescriptor(subject, source, "subject"), artifactType, RequiredString(root, "keyId", source), signedAt);
    }

    static JsonDocument Parse(byte[] json, string source, string what)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new ArtifactFormatException(source, $"the {what} is not valid JSON: {e.Message}", e);
        }
    }

    static string RequiredString(JsonElement owner, string name, string source)
    {
        Require(owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(value.GetString()),
            source, $"'{name}' must be a non-empty string");
        return value.GetString()!;
    }

    static byte[] Base64(string text, string source, string what)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new ArtifactFormatException(source, $"'{what}' is not base64", e);
        }
    }

    static void Require(bool condition, string source, string problem)
    {
        if (!condition) throw new ArtifactFormatException(source, problem);
    }

    sealed record Finding(ArtifactTrustFailure Failure, string Text);
}

/// <summary>A signature found valid (or just made): which manifest it covers, by which key, and when it says it was made.</summary>
/// <param name="Digest">The signature manifest's digest.</param>
/// <param name="Subject">The signed manifest (media type, digest, size).</param>
/// <param name="ArtifactType">The signed manifest's artifact type, as the signer stated it.</param>
/// <param name="KeyId">The signer's key id (<see cref="ArtifactPublicKey.KeyId"/>).</param>
/// <param name="SignedAt">When the signer says it signed (the signer's clock; informational, not checked).</param>
public sealed record ArtifactSignature(OciDigest Digest, OciDescriptor Subject, string? ArtifactType, string KeyId, DateTimeOffset SignedAt);
