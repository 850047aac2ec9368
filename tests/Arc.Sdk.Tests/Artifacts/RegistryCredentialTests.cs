using System.Text;
using Arc.Artifacts;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Artifacts;

/// <summary>
/// Credentials against a real, secured docker-registry (HTTPS with a test CA, htpasswd Basic auth), found the way
/// docker and podman find them: a temporary DOCKER_CONFIG-style <c>config.json</c> (passed as
/// <see cref="OciRegistryOptions.AuthFiles"/>, the real home is never touched) and a credential helper.
/// </summary>
[Collection(SecureDockerRegistryCollection.Name)]
public sealed class RegistryCredentialTests(SecureDockerRegistryFixture registry) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _directory = TestScratch.Create().FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ArtifactReference NewRepository() => ArtifactReference.ForRegistry(registry.Registry, $"arc-auth/repo-{Guid.NewGuid():N}"[..30]);

    private OciRegistryStore Store(ArtifactReference repository, string? configJson, string? helperPath = null)
    {
        string config = Path.Combine(_directory, "config.json");
        if (configJson is not null) File.WriteAllText(config, configJson);
        return new OciRegistryStore(repository, new OciRegistryOptions
        {
            // docker-registry serves HTTPS on 127.0.0.1: loopback would mean plain HTTP, so force HTTPS.
            PlainHttp = false,
            TrustedCertificateAuthorities = [registry.Authority!.Certificate],
            AuthFiles = [config],
            CredentialHelperPath = helperPath,
        });
    }

    /// <summary>A config.json with one <c>auths</c> entry.</summary>
    private static string Auths(string key, string entry) => "{\"auths\":{\"" + key + "\":" + entry + "}}";

    private static string Auth(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private async Task<PulledManifest> PushAndPullAsync(OciRegistryStore store, int seed)
    {
        var prepared = await ArtifactTestData.Sample(seed).PrepareAsync(Ct);
        await store.PushAsync(prepared, "v1", Ct);
        var pulled = await store.PullManifestAsync("v1", Ct);
        Assert.Equal(prepared.Digest, pulled.Digest);
        Assert.Equal(ArtifactTestData.Bytes(3000, seed), await store.ReadBlobAsync(pulled.Manifest.FindLayer("weights.bin")!, cancellationToken: Ct));
        return pulled;
    }

    [Fact]
    public async Task Push_and_pull_with_credentials_from_a_docker_config()
    {
        using var store = Store(NewRepository(), Auths(registry.Registry, $$"""{"auth":"{{Auth(DockerRegistryFixture.Username, DockerRegistryFixture.Password)}}"}"""));

        await PushAndPullAsync(store, seed: 301);

        Assert.Contains("v1", await store.ListTagsAsync(Ct));
    }

    [Fact]
    public async Task Username_and_password_fields_and_an_https_key_work_as_podman_writes_them()
    {
        using var store = Store(NewRepository(),
            Auths($"https://{registry.Registry}/v1/", $$"""{"username":"{{DockerRegistryFixture.Username}}","password":"{{DockerRegistryFixture.Password}}"}"""));

        await PushAndPullAsync(store, seed: 302);
    }

    [Fact]
    public async Task No_credentials_is_an_error_naming_the_registry_and_how_to_log_in()
    {
        using var store = Store(NewRepository(), """{"auths":{"other.example.com":{"auth":"dTpw"}}}""");
        var prepared = await ArtifactTestData.Sample(303).PrepareAsync(Ct);

        var error = await Assert.ThrowsAsync<ArtifactAuthenticationException>(() => store.PushAsync(prepared, "v1", Ct));

        Assert.Equal(registry.Registry, error.Registry);
        Assert.Equal(401, error.StatusCode);
        Assert.Contains($"{registry.Registry} requires credentials", error.Message);
        Assert.Contains($"`docker login {registry.Registry}`", error.Message);
        Assert.Contains($"`podman login {registry.Registry}`", error.Message);
        Assert.Contains("OciRegistryOptions.Credential", error.Message);
        Assert.Contains(Path.Combine(_directory, "config.json"), error.Message);
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_error_that_names_the_user_but_not_the_password()
    {
        using var store = Store(NewRepository(), Auths(registry.Registry, $$"""{"auth":"{{Auth(DockerRegistryFixture.Username, "wrong-password")}}"}"""));

        var error = await Assert.ThrowsAsync<ArtifactAuthenticationException>(() => store.ListTagsAsync(Ct));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains($"{registry.Registry} refused user '{DockerRegistryFixture.Username}'", error.Message);
        Assert.Contains("user name or password is wrong", error.Message);
        Assert.Contains($"`docker login {registry.Registry}`", error.Message);
        Assert.DoesNotContain("wrong-password", error.Message);
    }

    [Fact]
    public async Task Explicit_credentials_in_the_options_come_first()
    {
        using var store = new OciRegistryStore(NewRepository(), new OciRegistryOptions
        {
            PlainHttp = false,
            TrustedCertificateAuthorities = [registry.Authority!.Certificate],
            Credential = RegistryCredential.FromPassword(DockerRegistryFixture.Username, DockerRegistryFixture.Password),
            AuthFiles = [],
        });

        await PushAndPullAsync(store, seed: 304);
    }

    [Fact]
    public async Task A_credHelpers_entry_runs_docker_credential_helper_with_the_server_on_stdin()
    {
        string helpers = WriteHelper();
        using var store = Store(NewRepository(), $$$"""{"auths":{"{{{registry.Registry}}}":{}},"credHelpers":{"{{{registry.Registry}}}":"arctest"}}""",
            helpers + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"));

        await PushAndPullAsync(store, seed: 305);

        // Once per store: the credential is looked up once and kept.
        Assert.Equal([$"get {registry.Registry}"], File.ReadAllLines(Path.Combine(helpers, "calls.log")));
    }

    [Fact]
    public async Task A_credsStore_runs_the_helper_for_every_registry()
    {
        string helpers = WriteHelper();
        using var store = Store(NewRepository(), """{"auths":{},"credsStore":"arctest"}""", helpers + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"));

        await PushAndPullAsync(store, seed: 306);
    }

    [Fact]
    public async Task A_helper_that_is_not_installed_is_named_in_the_error()
    {
        using var store = Store(NewRepository(), $$$"""{"credHelpers":{"{{{registry.Registry}}}":"arc-missing"}}""", _directory);

        var error = await Assert.ThrowsAsync<ArtifactAuthenticationException>(() => store.ListTagsAsync(Ct));

        Assert.Contains("docker-credential-arc-missing is not on the PATH", error.Message);
    }

    [Fact]
    public async Task A_helper_without_credentials_for_the_server_means_none()
    {
        string helpers = WriteHelper(knownServer: "somewhere.example.com");
        using var store = Store(NewRepository(), """{"credsStore":"arctest"}""", helpers + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"));

        var error = await Assert.ThrowsAsync<ArtifactAuthenticationException>(() => store.ListTagsAsync(Ct));

        Assert.Contains("requires credentials", error.Message);
    }

    [Fact]
    public async Task The_registry_certificate_is_validated_a_registry_signed_by_an_unknown_CA_is_refused()
    {
        using var otherAuthority = new TestCertificateAuthority("Some other CA");
        foreach (var trusted in new[] { null, otherAuthority.Certificate })
        {
            using var store = new OciRegistryStore(NewRepository(), new OciRegistryOptions
            {
                PlainHttp = false,
                TrustedCertificateAuthorities = trusted is null ? null : [trusted],
                Credential = RegistryCredential.FromPassword(DockerRegistryFixture.Username, DockerRegistryFixture.Password),
            });

            var error = await Assert.ThrowsAsync<ArtifactRegistryException>(() => store.ListTagsAsync(Ct));

            Assert.Null(error.StatusCode);
            Assert.Contains("SSL", error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// A fake <c>docker-credential-arctest</c> (a shell script, standing in for a real helper such as
    /// docker-credential-pass, which would need a keyring): answers <c>get</c> for <paramref name="knownServer"/> with the
    /// registry's user and logs each call.
    /// </summary>
    private string WriteHelper(string? knownServer = null)
    {
        string directory = Directory.CreateDirectory(Path.Combine(_directory, "helpers")).FullName;
        string script = Path.Combine(directory, "docker-credential-arctest");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            server=$(cat)
            echo "$1 $server" >> "{{directory}}/calls.log"
            if [ "$1" = get ] && [ "$server" = "{{knownServer ?? registry.Registry}}" ]; then
              printf '{"ServerURL":"%s","Username":"{{DockerRegistryFixture.Username}}","Secret":"{{DockerRegistryFixture.Password}}"}' "$server"
              exit 0
            fi
            echo "credentials not found in native keychain"
            exit 1
            """.Replace("\r", ""));
        // Credential helpers are a Unix convention here (Docker on Windows uses wincred through the same protocol).
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }
}

/// <summary>The distribution token flow against a real docker-registry behind the <see cref="TokenAuthProxy"/> test double.</summary>
[Collection(DockerRegistryCollection.Name)]
public sealed class RegistryTokenAuthTests(DockerRegistryFixture registry)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OciRegistryStore Store(TokenAuthProxy proxy, RegistryCredential? credential)
        => new(ArtifactReference.ForRegistry(proxy.Host, $"arc-token/repo-{Guid.NewGuid():N}"[..31]), new OciRegistryOptions { Credential = credential, AuthFiles = [] });

    [Fact]
    public async Task Push_and_pull_with_bearer_tokens_fetched_once_per_scope()
    {
        await using var proxy = await TokenAuthProxy.StartAsync(registry.Registry);
        using var store = Store(proxy, RegistryCredential.FromPassword(TokenAuthProxy.Username, TokenAuthProxy.Password));
        var prepared = await ArtifactTestData.Sample(401).PrepareAsync(Ct);

        await store.PushAsync(prepared, "v1", Ct);
        var pulled = await store.PullManifestAsync("v1", Ct);
        foreach (var layer in pulled.Manifest.Layers) await store.ReadBlobAsync(layer, cancellationToken: Ct);
        await store.ListTagsAsync(Ct);

        Assert.Equal(prepared.Digest, pulled.Digest);
        // Three blobs checked and pushed, a manifest, then pulls and a listing: one token per scope, reused.
        string repository = store.Repository.Repository;
        Assert.Equal([$"repository:{repository}:pull", $"repository:{repository}:pull,push"], proxy.TokenRequests.Order().ToArray());
    }

    [Fact]
    public async Task An_identity_token_is_exchanged_with_a_refresh_token_grant()
    {
        await using var proxy = await TokenAuthProxy.StartAsync(registry.Registry);
        using var store = Store(proxy, RegistryCredential.FromIdentityToken(TokenAuthProxy.IdentityToken));
        var prepared = await ArtifactTestData.Sample(402).PrepareAsync(Ct);

        await store.PushAsync(prepared, "v1", Ct);

        Assert.Equal(prepared.Digest, await store.ResolveAsync("v1", Ct));
    }

    [Fact]
    public async Task Anonymous_pull_tokens_work_where_the_token_service_grants_them()
    {
        await using var proxy = await TokenAuthProxy.StartAsync(registry.Registry);
        using var writer = Store(proxy, RegistryCredential.FromPassword(TokenAuthProxy.Username, TokenAuthProxy.Password));
        var prepared = await ArtifactTestData.Sample(403).PrepareAsync(Ct);
        await writer.PushAsync(prepared, "v1", Ct);
        proxy.AnonymousPull = true;
        using var reader = new OciRegistryStore(writer.Repository, new OciRegistryOptions { AuthFiles = [] });

        Assert.Equal(prepared.Digest, await reader.ResolveAsync("v1", Ct));
        var error = await Assert.ThrowsAsync<ArtifactAuthenticationException>(() => reader.PushAsync(prepared, "v2", Ct));
        Assert.Contains($"{proxy.Host} requires credentials", error.Message);
    }

    [Fact]
    public async Task No_credentials_for_a_token_registry_says_how_to_log_in()
    {
        await using var proxy = await TokenAuthProxy.StartAsync(registry.Registry);
        using var store = Store(proxy, null);

        var error = await Assert.ThrowsAsync<ArtifactAuthenticationException>(() => store.ResolveAsync("v1", Ct));

        Assert.Contains($"{proxy.Host} requires credentials", error.Message);
        Assert.Contains($"`docker login {proxy.Host}`", error.Message);
    }

    [Fact]
    public async Task A_wrong_password_at_the_token_service_is_a_clear_error()
    {
        await using var proxy = await TokenAuthProxy.StartAsync(registry.Registry);
        using var store = Store(proxy, RegistryCredential.FromPassword(TokenAuthProxy.Username, "nope"));

        var error = await Assert.ThrowsAsync<ArtifactAuthenticationException>(() => store.ResolveAsync("v1", Ct));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains($"the token service of {proxy.Host}", error.Message);
        Assert.Contains($"refused user '{TokenAuthProxy.Username}'", error.Message);
        Assert.Contains("user name or password is wrong", error.Message);
    }
}

/// <summary>Where credentials are looked for, and how files are read, without a registry.</summary>
public sealed class RegistryCredentialFileTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _directory = TestScratch.Create().FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_search_order_is_podman_s_then_docker_s()
    {
        var environment = new Dictionary<string, string?> { ["HOME"] = "/home/u", ["XDG_RUNTIME_DIR"] = "/run/user/1000", ["DOCKER_CONFIG"] = "/etc/dc" };

        Assert.Equal(["/run/user/1000/containers/auth.json", "/home/u/.config/containers/auth.json", "/etc/dc/config.json"],
            RegistryCredentialFiles.DefaultFiles(name => environment.GetValueOrDefault(name)));
        environment.Remove("DOCKER_CONFIG");
        environment.Remove("XDG_RUNTIME_DIR");
        Assert.Equal(["/home/u/.config/containers/auth.json", "/home/u/.docker/config.json"],
            RegistryCredentialFiles.DefaultFiles(name => environment.GetValueOrDefault(name)));
        environment["REGISTRY_AUTH_FILE"] = "/tmp/auth.json";
        Assert.Equal(["/tmp/auth.json"], RegistryCredentialFiles.DefaultFiles(name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public async Task The_first_file_with_an_entry_wins_and_identity_tokens_are_read()
    {
        string first = Path.Combine(_directory, "auth.json"), second = Path.Combine(_directory, "config.json");
        await File.WriteAllTextAsync(first, """{"auths":{"a.example:5000":{"auth":"dTE6cDE="}}}""", Ct);
        await File.WriteAllTextAsync(second, """{"auths":{"a.example:5000":{"auth":"dTI6cDI="},"b.example":{"identitytoken":"idt","username":"bob"}}}""", Ct);

        var a = await RegistryCredentialFiles.FindAsync("a.example:5000", [Path.Combine(_directory, "missing.json"), first, second], null, "ref", Ct);
        var b = await RegistryCredentialFiles.FindAsync("b.example", [first, second], null, "ref", Ct);
        var none = await RegistryCredentialFiles.FindAsync("c.example", [first, second], null, "ref", Ct);

        Assert.Equal(("u1", "p1"), (a!.Username, a.Password));
        Assert.Equal($"{first} (auths)", a.Source);
        Assert.Equal(("bob", "idt", (string?)null), (b!.Username, b.IdentityToken, b.Password));
        Assert.Null(none);
        Assert.DoesNotContain("p1", a.ToString());
    }

    [Fact]
    public async Task A_broken_file_is_an_error_naming_it()
    {
        string file = Path.Combine(_directory, "config.json");
        await File.WriteAllTextAsync(file, """{"auths":{"a.example":{"auth":"not base64!"}}}""", Ct);

        var error = await Assert.ThrowsAsync<ArtifactAuthenticationException>(() => RegistryCredentialFiles.FindAsync("a.example", [file], null, "ref", Ct));

        Assert.Contains(file, error.Message);
        Assert.Contains("not base64", error.Message);
    }

    [Fact]
    public void Challenge_parameters_are_parsed_with_quoted_commas()
    {
        var parameters = RegistryAuthenticator.Parameters("realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"");

        Assert.Equal("https://auth.example/token", parameters["realm"]);
        Assert.Equal("registry.example", parameters["service"]);
        Assert.Equal("repository:a/b:pull,push", parameters["scope"]);
    }
}
