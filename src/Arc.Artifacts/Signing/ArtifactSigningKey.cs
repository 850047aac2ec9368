using System.Security.Cryptography;

namespace Arc.Artifacts;

/// <summary>
/// The private key that signs artifacts: ECDSA on NIST P-256 with SHA-256 (ES256), kept as a PKCS#8 PEM file
/// (<c>-----BEGIN PRIVATE KEY-----</c>, the form <c>openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256</c> writes).
/// Give verifiers its <see cref="PublicKey"/>; keep this one secret (<see cref="Save"/> writes it readable by its owner only).
/// Dispose it when done.
/// </summary>
public sealed class ArtifactSigningKey : IDisposable
{
    readonly ECDsa _key;

    ArtifactSigningKey(ECDsa key)
    {
        _key = key;
        PublicKey = ArtifactPublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The public half, which verifiers trust (<see cref="ArtifactTrustPolicy.RequireSigned(ArtifactPublicKey[])"/>).</summary>
    public ArtifactPublicKey PublicKey { get; }

    /// <summary>The key's identity, <c>sha256:&lt;hex&gt;</c> of its public key (<see cref="ArtifactPublicKey.KeyId"/>); signatures name it.</summary>
    public string KeyId => PublicKey.KeyId;

    /// <summary>A new random P-256 key pair.</summary>
    public static ArtifactSigningKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Reads a PKCS#8 (or SEC1 <c>EC PRIVATE KEY</c>) PEM private key from <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The file holds no P-256 private key.</exception>
    public static ArtifactSigningKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return FromPem(File.ReadAllText(path), path);
    }

    /// <summary>Reads a PKCS#8 (or SEC1 <c>EC PRIVATE KEY</c>) PEM private key.</summary>
    /// <exception cref="ArgumentException">The text holds no P-256 private key.</exception>
    public static ArtifactSigningKey FromPem(string pem) => FromPem(pem, "the PEM text");

    static ArtifactSigningKey FromPem(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            try
            {
                key.ImportFromPem(pem);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw new ArgumentException($"{source} is not a PEM ECDSA P-256 private key: {e.Message}", e);
            }
            ArtifactPublicKey.RequireP256(key, source);
            try
            {
                key.ExportParameters(includePrivateParameters: true);
            }
            catch (CryptographicException e)
            {
                throw new ArgumentException($"{source} holds a public key; signing needs the private key (-----BEGIN PRIVATE KEY-----)", e);
            }
            return new ArtifactSigningKey(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The private key as PKCS#8 PEM.</summary>
    public string ToPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>
    /// Writes the private key as PKCS#8 PEM to <paramref name="path"/>, created new and readable and writable by its owner
    /// only (mode 0600 on Unix), and, when <paramref name="publicKeyPath"/> is given, the public key there too.
    /// </summary>
    /// <exception cref="IOException"><paramref name="path"/> exists already (a key is never overwritten).</exception>
    public void Save(string path, string? publicKeyPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        // Created with the owner-only mode from the start: no moment exists in which the key is readable by others.
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(new FileStream(path, options)))
            writer.Write(ToPem());
        if (publicKeyPath is not null) PublicKey.Save(publicKeyPath);
    }

    /// <summary>An ECDSA P-256 SHA-256 signature (DER, as OpenSSL writes it) of <paramref name="data"/>.</summary>
    internal byte[] Sign(ReadOnlySpan<byte> data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    /// <summary>Releases the key.</summary>
    public void Dispose() => _key.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"signing key {KeyId}";
}

/// <summary>
/// A public key that verifies artifact signatures (ECDSA P-256, SHA-256), kept as a PEM <c>PUBLIC KEY</c>
/// (SubjectPublicKeyInfo) file. Its <see cref="KeyId"/> is the SHA-256 of that SubjectPublicKeyInfo.
/// </summary>
public sealed class ArtifactPublicKey : IEquatable<ArtifactPublicKey>
{
    readonly byte[] _subjectPublicKeyInfo;

    ArtifactPublicKey(byte[] subjectPublicKeyInfo)
    {
        _subjectPublicKeyInfo = subjectPublicKeyInfo;
        KeyId = OciDigest.Compute(subjectPublicKeyInfo).ToString();
    }

    /// <summary>The key's identity: <c>sha256:&lt;hex&gt;</c> of its DER SubjectPublicKeyInfo (what the PEM file encodes).</summary>
    public string KeyId { get; }

    /// <summary>Reads a PEM public key (<c>-----BEGIN PUBLIC KEY-----</c>) from <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The file holds no P-256 public key.</exception>
    public static ArtifactPublicKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return FromPem(File.ReadAllText(path), path);
    }

    /// <summary>Reads a PEM public key (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    /// <exception cref="ArgumentException">The text holds no P-256 public key.</exception>
    public static ArtifactPublicKey FromPem(string pem) => FromPem(pem, "the PEM text");

    static ArtifactPublicKey FromPem(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"{source} is not a PEM ECDSA P-256 public key: {e.Message}", e);
        }
        RequireP256(key, source);
        // Re-exported, so a private key file given here yields its public half and the id is of the canonical DER form.
        return new ArtifactPublicKey(key.ExportSubjectPublicKeyInfo());
    }

    internal static ArtifactPublicKey FromSubjectPublicKeyInfo(byte[] der) => new(der);

    const string P256Oid = "1.2.840.10045.3.1.7";

    internal static void RequireP256(ECDsa key, string source)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        if (!curve.IsNamed || (curve.Oid.Value != P256Oid && curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256")))
            throw new ArgumentException($"{source} is an ECDSA key on {curve.Oid.FriendlyName ?? curve.Oid.Value ?? "an unnamed curve"}; Arc signs with P-256 (prime256v1) only");
    }

    /// <summary>The public key as PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", _subjectPublicKeyInfo);

    /// <summary>Writes the PEM public key to <paramref name="path"/> (replacing it).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, ToPem() + "\n");
    }

    /// <summary>Whether <paramref name="signature"/> is this key's ECDSA P-256 SHA-256 signature (DER) of <paramref name="data"/>.</summary>
    internal bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_subjectPublicKeyInfo, out _);
        return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <inheritdoc/>
    public bool Equals(ArtifactPublicKey? other) => other is not null && KeyId == other.KeyId;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ArtifactPublicKey);

    /// <inheritdoc/>
    public override int GetHashCode() => KeyId.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => $"public key {KeyId}";
}
