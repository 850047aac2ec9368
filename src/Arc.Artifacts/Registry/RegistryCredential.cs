namespace Arc.Artifacts;

/// <summary>
/// What a registry accepts as proof of identity: a user name and password (sent as Basic auth, or to the registry's
/// token service), or an identity token (an OAuth2 refresh token, as <c>docker login</c> stores for some registries).
/// <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class RegistryCredential
{
    RegistryCredential(string? username, string? password, string? identityToken, string source)
    {
        Username = username;
        Password = password;
        IdentityToken = identityToken;
        Source = source;
    }

    /// <summary>A user name and password (or a personal access token used as the password).</summary>
    public static RegistryCredential FromPassword(string username, string password, string source = "OciRegistryOptions.Credential")
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        if (username.Contains(':')) throw new ArgumentException("a registry user name cannot contain ':' (Basic auth separates it from the password with one)", nameof(username));
        return new RegistryCredential(username, password, null, source);
    }

    /// <summary>An identity token: exchanged at the registry's token service (OAuth2 <c>refresh_token</c> grant) for access tokens.</summary>
    public static RegistryCredential FromIdentityToken(string identityToken, string? username = null, string source = "OciRegistryOptions.Credential")
    {
        ArgumentException.ThrowIfNullOrEmpty(identityToken);
        return new RegistryCredential(username, null, identityToken, source);
    }

    /// <summary>The user name, or null for an identity token without one.</summary>
    public string? Username { get; }

    /// <summary>The password, or null when this is an identity token.</summary>
    public string? Password { get; }

    /// <summary>The identity (refresh) token, or null.</summary>
    public string? IdentityToken { get; }

    /// <summary>Where the credential came from (a file, a credential helper or the options), for error messages.</summary>
    public string Source { get; }

    /// <summary>Who and where from, without the secret.</summary>
    public override string ToString()
        => (Password is not null ? $"user '{Username}'" : Username is null ? "an identity token" : $"an identity token for '{Username}'") + $" from {Source}";
}
