using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Arc.Sdk.Tests.Artifacts;
using Arc.Sdk.Tests.Support;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// Two real TLS workers on loopback, each with its own certificate: a client that pins one and reaches the other is
/// refused in the TLS handshake with <see cref="ArcWorkerCertificateException"/> naming both thumbprints, and the
/// worker it reached never sees a call.
/// </summary>
public sealed class WorkerCertificatePinTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TestCertificateAuthority _authority = new("Arc pin test CA");

    public void Dispose() => _authority.Dispose();

    private async Task<(ArcWorkerHost Server, ScriptedModel Model, X509Certificate2 Certificate)> StartTlsWorkerAsync(string name)
    {
        var certificate = _authority.IssueServerCertificate();
        var model = new ScriptedModel(name, 10);
        var server = await ArcWorkerHost.StartAsync(WorkerServices.Model(model), new ArcWorkerOptions { Certificate = certificate }, Ct);
        Assert.Equal("https", server.Address.Scheme);
        // What a client pins: the certificate without its key.
        return (server, model, X509CertificateLoader.LoadCertificate(certificate.RawData));
    }

    private static string Sha256(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData));

    [Fact]
    public async Task A_client_pinning_one_workers_certificate_refuses_another_worker_by_both_thumbprints()
    {
        var (first, _, firstCertificate) = await StartTlsWorkerAsync("first");
        await using var _ = first;
        var (second, secondModel, secondCertificate) = await StartTlsWorkerAsync("second");
        await using var __ = second;
        var batch = TestData.Numbered(4);

        // The second worker's own token, so only the certificate can be what is refused.
        using var channel = new ArcChannel(second.Address, second.ClientOptions with { ServerCertificate = firstCertificate });
        var client = new RemoteModelClient<ImageData, ClassData>(channel);
        var e = await Assert.ThrowsAsync<ArcWorkerCertificateException>(() => client.FitAsync(batch.Inputs, batch.Targets, cancellationToken: Ct));

        Assert.Equal(Sha256(firstCertificate), e.PinnedThumbprint);
        Assert.Equal(Sha256(secondCertificate), e.PresentedThumbprint);
        Assert.NotEqual(e.PinnedThumbprint, e.PresentedThumbprint);
        Assert.Contains($"refused the Arc worker at {second.Address} (/arc.Model/Fit)", e.Message);
        Assert.Contains($"presented a certificate with SHA-256 thumbprint {Sha256(secondCertificate)}", e.Message);
        Assert.Contains($"does not match the pinned certificate (ArcChannelOptions.ServerCertificate, SHA-256 thumbprint {Sha256(firstCertificate)})", e.Message);
        Assert.Equal(second.Address.ToString(), e.Endpoint);
        Assert.Empty(secondModel.FittedBatches);

        // Every later call on that channel says the same, whatever the method.
        var again = await Assert.ThrowsAsync<ArcWorkerCertificateException>(() => client.DescribeAsync(cancellationToken: Ct));
        Assert.Contains("/arc.Model/Describe", again.Message);
        Assert.Equal(e.PresentedThumbprint, again.PresentedThumbprint);

        // The same client options pinning the right certificate reach the worker.
        using var right = new ArcChannel(second.Address, second.ClientOptions);
        await new RemoteModelClient<ImageData, ClassData>(right).FitAsync(batch.Inputs, batch.Targets, cancellationToken: Ct);
        Assert.Single(secondModel.FittedBatches);
    }

    [Fact]
    public async Task A_client_that_pins_nothing_refuses_a_certificate_the_system_does_not_trust_and_says_to_pin()
    {
        var (worker, model, certificate) = await StartTlsWorkerAsync("unpinned");
        await using var _ = worker;

        using var channel = new ArcChannel(worker.Address, worker.ClientOptions with { ServerCertificate = null });
        var e = await Assert.ThrowsAsync<ArcWorkerCertificateException>(() =>
            new RemoteModelClient<ImageData, ClassData>(channel).DescribeAsync(cancellationToken: Ct));

        Assert.Null(e.PinnedThumbprint);
        Assert.Equal(Sha256(certificate), e.PresentedThumbprint);
        Assert.Contains("which this machine does not trust (RemoteCertificateChainErrors)", e.Message);
        Assert.Contains("Pin the deployment's certificate with ArcChannelOptions.ServerCertificate", e.Message);
        Assert.Empty(model.FittedBatches);
    }

    [Fact]
    public async Task A_pin_mismatch_reaches_the_caller_of_RemoteModel_ConnectAsync_as_the_same_exception()
    {
        var (first, _, firstCertificate) = await StartTlsWorkerAsync("first");
        await using var _ = first;
        var (second, _, secondCertificate) = await StartTlsWorkerAsync("second");
        await using var __ = second;

        var e = await Assert.ThrowsAsync<ArcWorkerCertificateException>(async () =>
            await RemoteModel<ImageData, ClassData>.ConnectAsync(second.Address, second.ClientOptions with { ServerCertificate = firstCertificate }, Ct));

        Assert.Equal((Sha256(firstCertificate), Sha256(secondCertificate)), (e.PinnedThumbprint, e.PresentedThumbprint));
    }
}
