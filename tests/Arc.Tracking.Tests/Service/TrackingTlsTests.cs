using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace Arc.Tracking.Tests.Service;

/// <summary>
/// A server with <see cref="TrackingServerOptions.Certificate"/> serves gRPC and /metrics over TLS (on 127.0.0.1 here:
/// tests bind loopback only), with a self-signed certificate made for the test and trusted by its thumbprint.
/// </summary>
public sealed class TrackingTlsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel needs a key it can use from a persisted form; a PFX round trip gives one.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    [Fact]
    public async Task A_server_with_a_certificate_serves_grpc_and_metrics_over_tls()
    {
        var scratch = TestScratch.Create();
        try
        {
            using var certificate = SelfSigned();
            const string secret = "tls-secret-0123456789abc";
            var token = new TrackingToken("admin", secret, new Dictionary<string, TrackingAccess> { ["*"] = TrackingAccess.Write });
            await using var store = await SqliteMetadataStore.OpenAsync(Path.Combine(scratch.FullName, "metadata.db"), Cancel);
            await using var server = await TrackingServer.StartAsync(store,
                new TrackingServerOptions { Port = 0, MetricsPort = 0, Tokens = [token], Certificate = certificate }, Cancel);
            Assert.Equal("https", server.Address.Scheme);
            Assert.Equal("https", server.MetricsAddress!.Scheme);

            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            };
            using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
            var client = new TrackingService.TrackingServiceClient(channel);
            var headers = new Metadata { { "authorization", "Bearer " + secret } };
            var created = await client.CreateExperimentAsync(new CreateExperimentRequest { Namespace = "vision", Name = "tls", Owner = "me@example.com" }, headers, cancellationToken: Cancel);
            Assert.Equal("tls", created.Name);
            Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(async () =>
                await client.ListNamespacesAsync(new ListNamespacesRequest(), cancellationToken: Cancel))).StatusCode);

            // A client that does not trust the certificate is refused by its own TLS check: nothing goes in clear text.
            using var untrusting = GrpcChannel.ForAddress(server.Address);
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await new TrackingService.TrackingServiceClient(untrusting).ListNamespacesAsync(new ListNamespacesRequest(), headers, cancellationToken: Cancel));
            Assert.NotEqual(StatusCode.OK, refused.StatusCode);
            Assert.Contains("SSL connection could not be established", refused.Status.Detail + refused.Status.DebugException);

            using var http = new HttpClient(handler, disposeHandler: false);
            using var scrape = new HttpRequestMessage(HttpMethod.Get, server.MetricsAddress);
            scrape.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
            using var response = await http.SendAsync(scrape, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("arc_tracking_calls_total{method=\"CreateExperiment\",code=\"OK\"} 1", await response.Content.ReadAsStringAsync(Cancel));
        }
        finally
        {
            TestScratch.Delete(scratch);
        }
    }
}
