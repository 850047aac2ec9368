using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using Arc.Kubernetes;
using Arc.Sdk;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Remote.Kubernetes;

/// <summary>
/// Finding the cluster as kubectl does (<see cref="KubernetesConfiguration"/>): <c>KUBECONFIG</c> lists merged with
/// kubectl's rules, <c>current-context</c>, the <see cref="KubernetesTargetOptions.Context"/> option, and the in-cluster
/// configuration of a pod. Each test has its own scratch folder and its own environment
/// (<see cref="KubernetesConfigurationSources"/>), so none reads or changes this process's; the end-to-end ones reach
/// the <see cref="FakeKubernetesApiServer"/> through the configuration they built. No address but loopback appears.
/// </summary>
public sealed class KubernetesConfigurationTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _scratch = TestScratch.Create();
    private readonly Dictionary<string, string> _environment = new();

    public void Dispose() => _scratch.Delete(recursive: true);

    // A home without ~/.kube/config, and a service-account folder that is empty: outside a pod, no kubeconfig.
    private KubernetesConfigurationSources Sources
    {
        get
        {
            _environment.TryAdd("HOME", Folder("home"));
            return new(name => _environment.GetValueOrDefault(name), Folder("serviceaccount"));
        }
    }

    private static KubernetesTargetOptions Options => new() { Image = "arc/worker:test" };

    private KubernetesClientConfiguration Build(KubernetesTargetOptions? options = null)
        => KubernetesConfiguration.Build(options ?? Options, Sources);

    [Fact]
    public void A_KUBECONFIG_list_merges_with_the_first_file_winning_and_the_current_context_from_the_first_that_sets_one()
    {
        // The first file only chooses the context and defines the cluster; the second defines the context and the user,
        // and a cluster of the same name, which loses as a whole.
        string first = Write("a/config", """
            current-context: dev
            clusters:
            - name: shared
              cluster:
                server: http://127.0.0.1:6001
            """);
        string second = Write("b/config", """
            current-context: prod
            clusters:
            - name: shared
              cluster:
                server: http://127.0.0.1:6002
                insecure-skip-tls-verify: true
            contexts:
            - name: dev
              context: {cluster: shared, user: dev-user, namespace: ns-b}
            - name: prod
              context: {cluster: shared, user: dev-user}
            users:
            - name: dev-user
              user: {token: token-from-b}
            """);
        _environment["KUBECONFIG"] = Join(first, second);

        var config = Build();

        Assert.Equal("dev", config.CurrentContext);
        Assert.Equal("http://127.0.0.1:6001", config.Host.TrimEnd('/'));
        // The whole 'shared' cluster came from the first file: not even the field it lacks was taken from the second.
        Assert.False(config.SkipTlsVerify);
        Assert.Equal("token-from-b", config.AccessToken);
        Assert.Equal("ns-b", config.Namespace);
    }

    [Fact]
    public void The_current_context_is_the_first_one_set_empty_ones_do_not_count()
    {
        string contexts = Write("contexts", """
            contexts:
            - name: two
              context: {cluster: c2}
            - name: three
              context: {cluster: c3}
            clusters:
            - name: c2
              cluster: {server: 'http://127.0.0.1:6002'}
            - name: c3
              cluster: {server: 'http://127.0.0.1:6003'}
            """);
        string unset = Write("unset", "current-context: \"\"\n");
        string two = Write("two", "current-context: two\n");
        string three = Write("three", "current-context: three\n");
        _environment["KUBECONFIG"] = Join(contexts, unset, two, three);

        var config = Build();

        Assert.Equal("two", config.CurrentContext);
        Assert.Equal("http://127.0.0.1:6002", config.Host.TrimEnd('/'));
    }

    [Fact]
    public void The_context_option_picks_any_context_of_the_merged_files_like_kubectl_context()
    {
        string first = Write("first", """
            current-context: dev
            contexts:
            - name: dev
              context: {cluster: dev}
            clusters:
            - name: dev
              cluster: {server: 'http://127.0.0.1:6001'}
            """);
        string second = Write("second", """
            contexts:
            - name: staging
              context: {cluster: staging, namespace: stage}
            clusters:
            - name: staging
              cluster: {server: 'http://127.0.0.1:6009'}
            """);
        _environment["KUBECONFIG"] = Join(first, second);

        var config = Build(Options with { Context = "staging" });

        Assert.Equal("staging", config.CurrentContext);
        Assert.Equal("http://127.0.0.1:6009", config.Host.TrimEnd('/'));
        Assert.Equal("stage", config.Namespace);
    }

    [Fact]
    public void Empty_entries_missing_files_and_empty_files_in_KUBECONFIG_are_skipped()
    {
        string empty = Write("empty", "\n");
        string real = Write("real", """
            current-context: only
            contexts:
            - name: only
              context: {cluster: only}
            clusters:
            - name: only
              cluster: {server: 'http://127.0.0.1:6004'}
            """);
        _environment["KUBECONFIG"] = $"{Path.PathSeparator}{Path.Combine(_scratch.FullName, "missing")}{Path.PathSeparator}{empty}{Path.PathSeparator}{Path.PathSeparator}{real}";

        Assert.Equal("http://127.0.0.1:6004", Build().Host.TrimEnd('/'));
    }

    [Fact]
    public void A_relative_certificate_path_resolves_against_the_folder_of_the_file_that_names_it()
    {
        using var authority = SelfSigned("kubeconfig test CA");
        // The first file is in another folder and only chooses the context: a merge that resolved every path against
        // the first file's folder (KubernetesClient's own) would look for ca.crt in the wrong place.
        string first = Write("one/config", "current-context: secure\n");
        Write("two/ca.crt", authority.ExportCertificatePem());
        string second = Write("two/config", """
            contexts:
            - name: secure
              context: {cluster: secure}
            clusters:
            - name: secure
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority: ca.crt
            """);
        _environment["KUBECONFIG"] = Join(first, second);

        var config = Build();

        Assert.Equal(authority.Thumbprint, Assert.Single(config.SslCaCerts).Thumbprint);
    }

    [Fact]
    public void An_explicit_kubeconfig_path_is_read_alone_and_must_exist()
    {
        string listed = Write("listed", """
            contexts:
            - name: elsewhere
              context: {cluster: elsewhere}
            clusters:
            - name: elsewhere
              cluster: {server: 'http://127.0.0.1:6005'}
            """);
        string alone = Write("alone", """
            current-context: here
            contexts:
            - name: here
              context: {cluster: here}
            clusters:
            - name: here
              cluster: {server: 'http://127.0.0.1:6006'}
            """);
        _environment["KUBECONFIG"] = listed;

        Assert.Equal("http://127.0.0.1:6006", Build(Options with { KubeconfigPath = alone }).Host.TrimEnd('/'));
        var e = Assert.Throws<InvalidOperationException>(() => Build(Options with { KubeconfigPath = alone, Context = "elsewhere" }));
        Assert.Contains("'elsewhere' (KubernetesTargetOptions.Context) is not in the kubeconfig file " + alone, e.Message);
        string missing = Path.Combine(_scratch.FullName, "no-such-config");
        var notFound = Assert.Throws<FileNotFoundException>(() => Build(Options with { KubeconfigPath = missing }));
        Assert.Contains(missing, notFound.Message);
    }

    [Fact]
    public void A_context_that_is_not_there_is_named_with_the_files_and_the_contexts_they_hold()
    {
        string first = Write("first", "current-context: gone\n");
        string second = Write("second", """
            contexts:
            - name: dev
              context: {cluster: dev}
            - name: Gone
              context: {cluster: dev}
            clusters:
            - name: dev
              cluster: {server: 'http://127.0.0.1:6001'}
            """);
        _environment["KUBECONFIG"] = Join(first, second);

        // Names are case-sensitive, as in kubectl: 'Gone' is another context.
        var e = Assert.Throws<InvalidOperationException>(() => Build());

        Assert.Contains("the kubeconfig context 'gone' (its current-context) is not in KUBECONFIG", e.Message);
        Assert.Contains(first, e.Message);
        Assert.Contains(second, e.Message);
        Assert.Contains("its contexts are 'dev', 'Gone'", e.Message);
    }

    [Fact]
    public void A_context_whose_cluster_or_user_is_missing_says_which()
    {
        string file = Write("config", """
            contexts:
            - name: no-cluster
              context: {cluster: nowhere}
            - name: no-user
              context: {cluster: here, user: nobody}
            clusters:
            - name: here
              cluster: {server: 'http://127.0.0.1:6001'}
            """);
        _environment["KUBECONFIG"] = file;

        Assert.Contains("names the cluster 'nowhere', which is not in", Assert.Throws<InvalidOperationException>(() => Build(Options with { Context = "no-cluster" })).Message);
        Assert.Contains("names the user 'nobody', which is not in", Assert.Throws<InvalidOperationException>(() => Build(Options with { Context = "no-user" })).Message);
    }

    [Fact]
    public void No_current_context_anywhere_says_what_to_set()
    {
        string file = Write("config", """
            contexts:
            - name: a
              context: {cluster: a}
            clusters:
            - name: a
              cluster: {server: 'http://127.0.0.1:6001'}
            """);
        _environment["KUBECONFIG"] = file;

        var e = Assert.Throws<InvalidOperationException>(() => Build());

        Assert.Contains("sets no current-context: set KubernetesTargetOptions.Context to one of 'a'", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_kubeconfig_is_named_in_the_error()
    {
        string broken = Write("broken", "clusters: [ {name: a\n");
        _environment["KUBECONFIG"] = broken;

        var e = Assert.Throws<InvalidOperationException>(() => Build());

        Assert.StartsWith($"the kubeconfig file {broken} cannot be read: ", e.Message);
    }

    [Fact]
    public void Without_KUBECONFIG_the_home_kubeconfig_is_read()
    {
        Write("home/.kube/config", """
            current-context: home
            contexts:
            - name: home
              context: {cluster: home}
            clusters:
            - name: home
              cluster: {server: 'http://127.0.0.1:6007'}
            """);

        Assert.Equal("http://127.0.0.1:6007", Build().Host.TrimEnd('/'));
    }

    [Fact]
    public void Outside_a_pod_with_no_kubeconfig_the_error_says_where_it_looked()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build());
        Assert.Contains("no Kubernetes cluster is configured: KUBECONFIG is unset and", e.Message);
        Assert.Contains(Path.Combine("home", ".kube", "config"), e.Message);

        _environment["KUBECONFIG"] = Path.Combine(_scratch.FullName, "missing");
        Assert.Contains("none of the files in KUBECONFIG exists", Assert.Throws<InvalidOperationException>(() => Build()).Message);
    }

    [Fact]
    public void In_a_pod_without_a_kubeconfig_the_service_account_is_used()
    {
        using var authority = SelfSigned("cluster CA");
        ServiceAccount("pod-token", authority, @namespace: "team-ns\n");
        _environment["KUBERNETES_SERVICE_HOST"] = "127.0.0.1";
        _environment["KUBERNETES_SERVICE_PORT"] = "6443";

        var config = Build();

        Assert.Equal("https://127.0.0.1:6443", config.Host);
        Assert.Equal(authority.Thumbprint, Assert.Single(config.SslCaCerts).Thumbprint);
        Assert.Equal("team-ns", config.Namespace);
        Assert.IsType<k8s.Authentication.TokenFileAuth>(config.TokenProvider);

        // POD_NAMESPACE (the downward API) comes first, as in client-go; an IPv6 service address gets brackets.
        _environment["POD_NAMESPACE"] = "from-variable";
        _environment["KUBERNETES_SERVICE_HOST"] = "fd00::1";
        config = Build();
        Assert.Equal("from-variable", config.Namespace);
        Assert.Equal("https://[fd00::1]:6443", config.Host);
    }

    [Fact]
    public void In_a_pod_a_kubeconfig_with_a_context_still_wins_and_one_without_falls_back_to_the_service_account()
    {
        using var authority = SelfSigned("cluster CA");
        ServiceAccount("pod-token", authority);
        _environment["KUBERNETES_SERVICE_HOST"] = "127.0.0.1";
        _environment["KUBERNETES_SERVICE_PORT"] = "6443";
        string withContext = Write("with", """
            current-context: c
            contexts:
            - name: c
              context: {cluster: c}
            clusters:
            - name: c
              cluster: {server: 'http://127.0.0.1:6008'}
            """);
        string without = Write("without", "preferences: {}\n");

        _environment["KUBECONFIG"] = withContext;
        Assert.Equal("http://127.0.0.1:6008", Build().Host.TrimEnd('/'));
        _environment["KUBECONFIG"] = without;
        Assert.Equal("https://127.0.0.1:6443", Build().Host);
    }

    [Fact]
    public void In_a_pod_a_context_option_without_a_kubeconfig_is_refused()
    {
        using var authority = SelfSigned("cluster CA");
        ServiceAccount("pod-token", authority);
        _environment["KUBERNETES_SERVICE_HOST"] = "127.0.0.1";
        _environment["KUBERNETES_SERVICE_PORT"] = "6443";

        var e = Assert.Throws<InvalidOperationException>(() => Build(Options with { Context = "prod" }));

        Assert.Contains("KubernetesTargetOptions.Context is 'prod', but there is no kubeconfig to find it in", e.Message);
        Assert.Contains("leave Context unset to use the pod's service account", e.Message);
    }

    [Fact]
    public void In_a_pod_a_missing_ca_certificate_or_a_bad_port_is_refused()
    {
        Write("serviceaccount/token", "pod-token");
        _environment["KUBERNETES_SERVICE_HOST"] = "127.0.0.1";
        _environment["KUBERNETES_SERVICE_PORT"] = "6443";

        Assert.Contains("the cluster's CA certificate", Assert.Throws<InvalidOperationException>(() => Build()).Message);
        _environment["KUBERNETES_SERVICE_PORT"] = "https";
        Assert.Contains("KUBERNETES_SERVICE_PORT is 'https', not a port number", Assert.Throws<InvalidOperationException>(() => Build()).Message);
    }

    [Fact]
    public async Task A_merged_KUBECONFIG_reaches_the_fake_api_server_and_runs_pods_there()
    {
        await using var cluster = await KubernetesTestCluster.StartAsync();
        var fake = FakeOnly(cluster);
        // The first file chooses the fake's context and holds an unrelated user; the fake's own kubeconfig, second in
        // the list, holds the context, the cluster and the user with the token the fake wants.
        string first = Write("mine/config", """
            current-context: fake
            users:
            - name: someone-else
              user: {token: not-the-fakes}
            """);
        _environment["KUBECONFIG"] = Join(first, fake.KubeconfigPath);
        var options = cluster.Options with { KubeconfigPath = null, ConfigurationSources = Sources };

        await using (var worker = await Target.Kubernetes(options).DeployPodsAsync([TestPods.ScaleAsyncPod], Ct))
            Assert.Equal(new double[] { 4.0 }, await TestPods.ScaleRemoteAsync(worker, [2], cancellationToken: Ct));

        // Every request carried the fake's token (it answers 401 otherwise) to the context's namespace.
        Assert.Contains(fake.Requests, r => r.Method == "POST" && r.PathAndQuery == "/api/v1/namespaces/arc-tests/pods");
        await cluster.AssertNothingLeftAsync(Ct);
    }

    [Fact]
    public async Task In_a_pod_the_service_account_reaches_the_api_server_over_tls_checked_against_the_cluster_ca()
    {
        using var serving = SelfSigned("fake API server", IPAddress.Loopback);
        await using var fake = await FakeKubernetesApiServer.StartAsync([], tls: serving);
        Assert.Equal("https", fake.Address.Scheme);
        ServiceAccount(FakeKubernetesApiServer.Token, serving, @namespace: "arc-tests");
        _environment["KUBERNETES_SERVICE_HOST"] = "127.0.0.1";
        _environment["KUBERNETES_SERVICE_PORT"] = fake.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using (var client = new k8s.Kubernetes(Build()))
            Assert.Empty((await client.CoreV1.ListNamespacedPodAsync("arc-tests", cancellationToken: Ct)).Items);
        Assert.Single(fake.Requests); // and it was answered: the token from the service account was the fake's

        // Another CA: the server's certificate is not trusted, and nothing is sent.
        using var other = SelfSigned("another CA", IPAddress.Loopback);
        File.WriteAllText(Path.Combine(Folder("serviceaccount"), "ca.crt"), other.ExportCertificatePem());
        using (var client = new k8s.Kubernetes(Build()))
            await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespacedPodAsync("arc-tests", cancellationToken: Ct));
        Assert.Single(fake.Requests);
    }

    private void ServiceAccount(string token, X509Certificate2 authority, string? @namespace = null)
    {
        Write("serviceaccount/token", token);
        Write("serviceaccount/ca.crt", authority.ExportCertificatePem());
        if (@namespace is not null) Write("serviceaccount/namespace", @namespace);
    }

    private string Folder(string relative) => Directory.CreateDirectory(Path.Combine(_scratch.FullName, relative)).FullName;

    private string Write(string relative, string text)
    {
        string path = Path.Combine(_scratch.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Join(params string[] files) => string.Join(Path.PathSeparator, files);

    /// <summary>A self-signed certificate with its key, naming <paramref name="address"/> when given (to serve TLS on it).</summary>
    private static X509Certificate2 SelfSigned(string name, IPAddress? address = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        if (address is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(address);
            request.CertificateExtensions.Add(names.Build());
        }
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
    }

    private static FakeKubernetesApiServer FakeOnly(KubernetesTestCluster cluster)
    {
        Assert.SkipWhen(cluster.Fake is null, "reads the fake API server's kubeconfig; ARC_TEST_KUBECONFIG points at a real cluster");
        return cluster.Fake!;
    }
}
