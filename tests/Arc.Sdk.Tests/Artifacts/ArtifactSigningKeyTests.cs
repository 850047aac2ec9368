using System.Diagnostics;
using System.Security.Cryptography;
using Arc.Artifacts;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>Signing keys as PEM files: round trips, owner-only private keys, and keys Arc does not sign with refused clearly.</summary>
public sealed class ArtifactSigningKeyTests : IDisposable
{
    private readonly DirectoryInfo _root = TestScratch.Create();

    private string PathOf(string name) => Path.Combine(_root.FullName, name);

    [Fact]
    public void A_saved_key_pair_loads_back_with_the_same_id_and_the_private_key_is_owner_only()
    {
        using var key = ArtifactSigningKey.Create();
        key.Save(PathOf("k.pem"), PathOf("k.pub.pem"));

        using var loaded = ArtifactSigningKey.Load(PathOf("k.pem"));
        var publicKey = ArtifactPublicKey.Load(PathOf("k.pub.pem"));
        Assert.Equal(key.KeyId, loaded.KeyId);
        Assert.Equal(key.PublicKey, publicKey);
        Assert.Matches("^sha256:[0-9a-f]{64}$", key.KeyId);
        Assert.Equal(OciDigest.Compute(Convert.FromBase64String(string.Concat(publicKey.ToPem().Split('\n').Where(line => !line.StartsWith("-----"))))).ToString(), key.KeyId);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(PathOf("k.pem")));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(PathOf("k.pub.pem")));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathOf("k.pem")));
        // Never overwritten: a second key saved over the first would orphan everything the first signed.
        using var other = ArtifactSigningKey.Create();
        Assert.Throws<IOException>(() => other.Save(PathOf("k.pem")));
        Assert.Equal(key.KeyId, ArtifactSigningKey.Load(PathOf("k.pem")).KeyId);
        Assert.NotEqual(key.KeyId, other.KeyId);
    }

    [Fact]
    public void A_public_key_file_a_key_on_another_curve_and_text_without_a_key_are_refused_saying_so()
    {
        using var key = ArtifactSigningKey.Create();
        key.PublicKey.Save(PathOf("only.pub.pem"));
        var publicOnly = Assert.Throws<ArgumentException>(() => ArtifactSigningKey.Load(PathOf("only.pub.pem")));
        Assert.Contains("holds a public key", publicOnly.Message);
        Assert.Contains(PathOf("only.pub.pem"), publicOnly.Message);

        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        File.WriteAllText(PathOf("p384.pem"), p384.ExportPkcs8PrivateKeyPem());
        Assert.Contains("P-256", Assert.Throws<ArgumentException>(() => ArtifactSigningKey.Load(PathOf("p384.pem"))).Message);
        Assert.Contains("P-256", Assert.Throws<ArgumentException>(() => ArtifactPublicKey.FromPem(p384.ExportSubjectPublicKeyInfoPem())).Message);

        Assert.Contains("not a PEM ECDSA P-256 private key", Assert.Throws<ArgumentException>(() => ArtifactSigningKey.FromPem("hello")).Message);
        Assert.Contains("not a PEM ECDSA P-256 public key", Assert.Throws<ArgumentException>(() => ArtifactPublicKey.FromPem("hello")).Message);
        Assert.Throws<ArgumentException>(() => ArtifactTrustPolicy.RequireSigned());
    }

    [Fact]
    public void A_key_made_by_openssl_loads()
    {
        string? openssl = new[] { "/usr/bin/openssl", "/bin/openssl" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(openssl is null, "openssl is not installed");
        var start = new ProcessStartInfo(openssl!) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", PathOf("openssl.pem") })
            start.ArgumentList.Add(argument);
        using (var process = Process.Start(start)!)
        {
            process.WaitForExit(30_000);
            Assert.Equal(0, process.ExitCode);
        }
        using var key = ArtifactSigningKey.Load(PathOf("openssl.pem"));
        Assert.Matches("^sha256:[0-9a-f]{64}$", key.KeyId);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
