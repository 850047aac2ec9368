using System.Net;
using System.Text.Json;

namespace Arc.Artifacts;

/// <summary>Turns a registry's error answer (the distribution spec's <c>{"errors":[{"code","message"}]}</c>) into an exception.</summary>
internal static class RegistryErrors
{
    const int MaxErrorBody = 64 * 1024;
    static readonly HashSet<string> NotFoundCodes = ["BLOB_UNKNOWN", "MANIFEST_UNKNOWN", "NAME_UNKNOWN", "BLOB_UPLOAD_UNKNOWN"];

    /// <summary>
    /// The exception for an error answer: <see cref="ArtifactNotFoundException"/> for a 404 about content (unless
    /// <paramref name="notFoundIsMissingContent"/> is false, as for the /v2/ ping), else <see cref="ArtifactRegistryException"/>.
    /// </summary>
    public static async Task<Exception> ReadAsync(HttpResponseMessage response, string operation, string reference, CancellationToken cancellationToken,
        bool notFoundIsMissingContent = true)
    {
        var (code, message) = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        if (notFoundIsMissingContent && response.StatusCode == HttpStatusCode.NotFound && (code is null || NotFoundCodes.Contains(code)))
            return new ArtifactNotFoundException(reference, $"{reference} was not found: registry answered {operation} with HTTP 404" + (code is null ? "" : $" {code}") + (message is null ? "" : $" ({message})"));
        return new ArtifactRegistryException(reference, operation, status, code, message ?? response.ReasonPhrase ?? "no error message");
    }

    public static async Task<(string? Code, string? Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var bodyDisposal = body.ConfigureAwait(false);
            var bytes = await VerifiedContent.ReadBoundedAsync(body, MaxErrorBody, "registry error", "error body", cancellationToken).ConfigureAwait(false);
            if (bytes.Length == 0) return (null, null);
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray())
                {
                    if (error.ValueKind != JsonValueKind.Object) continue;
                    string? code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    string? message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    return (code, message);
                }
            }
        }
        catch (Exception e) when (e is JsonException or ArtifactFormatException or HttpRequestException or IOException)
        {
            // The error body is a courtesy; its absence or malformation must not hide the status itself.
        }
        return (null, null);
    }
}
