using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Arc.Artifacts;

/// <summary>
/// Finds a registry's credentials where <c>docker login</c> and <c>podman login</c> leave them: Docker's
/// <c>config.json</c> and the containers <c>auth.json</c> (one format: <c>auths</c> entries with a base64
/// <c>auth</c> or <c>username</c>/<c>password</c> and an optional <c>identitytoken</c>, <c>credHelpers</c> per host and
/// a <c>credsStore</c> for all), running <c>docker-credential-&lt;name&gt; get</c> for helpers as Docker does.
/// </summary>
internal static partial class RegistryCredentialFiles
{
    const int MaxFileSize = 1024 * 1024;
    const int MaxHelperOutput = 64 * 1024;
    static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The files podman/skopeo read, in their order, followed by Docker's: <c>$REGISTRY_AUTH_FILE</c> alone when set
    /// (as <c>--authfile</c> replaces the search there); otherwise <c>$XDG_RUNTIME_DIR/containers/auth.json</c>,
    /// <c>$XDG_CONFIG_HOME/containers/auth.json</c>, then <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>.
    /// </summary>
    public static IReadOnlyList<string> DefaultFiles(Func<string, string?> environment)
    {
        if (NonEmpty(environment("REGISTRY_AUTH_FILE")) is { } authFile) return [authFile];
        string home = NonEmpty(environment("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var files = new List<string>();
        if (NonEmpty(environment("XDG_RUNTIME_DIR")) is { } runtime) files.Add(Path.Combine(runtime, "containers", "auth.json"));
        files.Add(Path.Combine(NonEmpty(environment("XDG_CONFIG_HOME")) ?? Path.Combine(home, ".config"), "containers", "auth.json"));
        files.Add(Path.Combine(NonEmpty(environment("DOCKER_CONFIG")) ?? Path.Combine(home, ".docker"), "config.json"));
        return files;
    }

    static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>
    /// The credential for <paramref name="registry"/> (<c>host[:port]</c>) from the first file that has one, or null.
    /// Within a file, as Docker: a <c>credHelpers</c> entry for the host, else an <c>auths</c> entry, else <c>credsStore</c>.
    /// </summary>
    public static async Task<RegistryCredential?> FindAsync(string registry, IReadOnlyList<string> files, string? helperPath, string reference,
        CancellationToken cancellationToken)
    {
        foreach (string file in files)
        {
            if (!File.Exists(file)) continue;
            var found = await FindInFileAsync(registry, file, helperPath, reference, cancellationToken).ConfigureAwait(false);
            if (found is not null) return found;
        }
        return null;
    }

    static async Task<RegistryCredential?> FindInFileAsync(string registry, string file, string? helperPath, string reference, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(file);
            if (info.Length > MaxFileSize) throw Broken(reference, registry, file, $"it is {info.Length} bytes, more than {MaxFileSize}");
            bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Broken(reference, registry, file, e.Message, e);
        }
        if (bytes.Length == 0) return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Broken(reference, registry, file, $"it is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Broken(reference, registry, file, "it is not a JSON object");
            if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object
                && FindEntry(helpers, registry) is { ValueKind: JsonValueKind.String } helper)
                return await RunHelperAsync(helper.GetString()!, registry, helperPath, file, reference, cancellationToken).ConfigureAwait(false);
            if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object
                && FindEntry(auths, registry) is { ValueKind: JsonValueKind.Object } entry
                && ReadEntry(entry, registry, file, reference) is { } credential)
                return credential;
            if (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String && store.GetString() is { Length: > 0 } storeName)
                return await RunHelperAsync(storeName, registry, helperPath, file, reference, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// The entry keyed by the registry: exactly, else (as podman normalizes older Docker keys) a key whose host part after
    /// dropping <c>http(s)://</c> and any path, such as <c>https://host/v1/</c>, is the registry.
    /// </summary>
    static JsonElement? FindEntry(JsonElement map, string registry)
    {
        if (map.TryGetProperty(registry, out var exact)) return exact;
        foreach (var property in map.EnumerateObject())
        {
            string key = property.Name;
            if (key.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) key = key["https://".Length..];
            else if (key.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) key = key["http://".Length..];
            int slash = key.IndexOf('/');
            if (slash >= 0) key = key[..slash];
            if (string.Equals(key, registry, StringComparison.OrdinalIgnoreCase)) return property.Value;
        }
        return null;
    }

    static RegistryCredential? ReadEntry(JsonElement entry, string registry, string file, string reference)
    {
        string source = $"{file} (auths)";
        string? username = String(entry, "username"), password = String(entry, "password"), identityToken = String(entry, "identitytoken");
        if (String(entry, "auth") is { Length: > 0 } auth)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException e)
            {
                throw Broken(reference, registry, file, $"the 'auth' of '{registry}' is not base64", e);
            }
            int colon = decoded.IndexOf(':');
            if (colon <= 0) throw Broken(reference, registry, file, $"the 'auth' of '{registry}' is not base64 of 'user:password'");
            username = decoded[..colon];
            password = decoded[(colon + 1)..];
        }
        // An identity token wins over a password, as in Docker: the password is then usually empty.
        if (identityToken is { Length: > 0 }) return RegistryCredential.FromIdentityToken(identityToken, username, source);
        if (username is { Length: > 0 } && password is not null) return RegistryCredential.FromPassword(username, password, source);
        // An empty entry ({}), as Docker writes next to a credsStore: the credentials live in the store.
        return null;
    }

    static string? String(JsonElement entry, string name)
        => entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex HelperName();

    /// <summary>Runs <c>docker-credential-&lt;name&gt; get</c> with the registry on stdin, as Docker's credential-helper protocol says.</summary>
    static async Task<RegistryCredential?> RunHelperAsync(string name, string registry, string? helperPath, string file, string reference, CancellationToken cancellationToken)
    {
        string program = "docker-credential-" + name;
        // The name comes from a file; it must not be able to name a path.
        if (!HelperName().IsMatch(name)) throw Broken(reference, registry, file, $"'{name}' is not a credential helper name");
        string searched = helperPath ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        string? executable = searched.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program)).FirstOrDefault(File.Exists);
        if (executable is null)
            throw new ArtifactAuthenticationException(reference, registry, null,
                $"{file} says the credentials for {registry} are kept by the credential helper '{name}', but {program} is not on the PATH " +
                $"({searched}): install it, or log in again with `docker login {registry}` / `podman login {registry}`");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add("get");
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw new ArtifactAuthenticationException(reference, registry, null, $"could not run the credential helper {executable} for {registry}: {e.Message}", e);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HelperTimeout);
        try
        {
            var stdout = ReadBoundedAsync(process.StandardOutput, timeout.Token);
            var stderr = ReadBoundedAsync(process.StandardError, timeout.Token);
            // The protocol's input is the server URL alone, without a newline (as Docker's client writes it).
            await process.StandardInput.WriteAsync(registry.AsMemory(), timeout.Token).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            string output = await stdout.ConfigureAwait(false), error = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                string said = (output + " " + error).Trim();
                // The helpers' agreed answer for "nothing stored for this server".
                if (said.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)) return null;
                throw new ArtifactAuthenticationException(reference, registry, null,
                    $"the credential helper {program} failed for {registry} (exit code {process.ExitCode}): {Shorten(said)}");
            }
            return ParseHelperAnswer(output, program, registry, reference);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ArtifactAuthenticationException(reference, registry, null,
                $"the credential helper {program} did not answer for {registry} within {HelperTimeout.TotalSeconds:0} s", e);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    static RegistryCredential? ParseHelperAnswer(string output, string program, string registry, string reference)
    {
        try
        {
            using var document = JsonDocument.Parse(output, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new JsonException("not a JSON object");
            string? username = String(root, "Username"), secret = String(root, "Secret");
            string source = $"credential helper {program}";
            if (string.IsNullOrEmpty(secret)) return null;
            // Docker's convention: the user name "<token>" marks the secret as an identity token.
            if (username == "<token>") return RegistryCredential.FromIdentityToken(secret, null, source);
            if (string.IsNullOrEmpty(username)) throw new JsonException("no Username");
            return RegistryCredential.FromPassword(username, secret, source);
        }
        catch (JsonException e)
        {
            throw new ArtifactAuthenticationException(reference, registry, null,
                $"the credential helper {program} answered for {registry} with something other than {{\"Username\",\"Secret\"}} JSON ({e.Message})", e);
        }
    }

    static async Task<string> ReadBoundedAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            // Keep draining past the limit so the helper never blocks on a full pipe, but keep only the start.
            if (text.Length < MaxHelperOutput) text.Append(buffer, 0, Math.Min(read, MaxHelperOutput - text.Length));
        }
        return text.ToString();
    }

    static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";

    static ArtifactAuthenticationException Broken(string reference, string registry, string file, string problem, Exception? inner = null)
        => new(reference, registry, null, $"cannot read the credentials for {registry} from {file}: {problem}", inner);
}
