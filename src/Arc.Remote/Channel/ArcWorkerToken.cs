using System.Security.Cryptography;

namespace Arc.Remote;

/// <summary>
/// The per-deployment secret every Arc worker checks before it decodes a call: 256 random bits, written as 43 URL-safe
/// base64 characters. A caller sends it as <c>authorization: Bearer &lt;token&gt;</c> (see docs/remote-protocol.md).
/// </summary>
/// <remarks>
/// Loopback is not a trust boundary: any local user can reach a port on 127.0.0.1. So a worker never serves without a
/// token, and the token travels to it out of band (an inherited pipe, a 0600 file, a Kubernetes Secret mounted as a
/// file), never on a command line or in an environment variable that other users could read.
/// </remarks>
public static class ArcWorkerToken
{
    /// <summary>How many random bytes a generated token holds.</summary>
    public const int RandomBytes = 32;

    /// <summary>The shortest token a worker accepts: a short secret can be guessed.</summary>
    public const int MinimumLength = 32;

    /// <summary>A fresh random token.</summary>
    public static string Generate()
        => Convert.ToBase64String(RandomNumberGenerator.GetBytes(RandomBytes))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Throws unless <paramref name="token"/> is long enough and made of characters that fit an HTTP header.</summary>
    /// <exception cref="ArgumentException">The token is too short or holds whitespace or control characters.</exception>
    public static void Validate(string token, string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(token, parameterName);
        if (token.Length < MinimumLength)
            throw new ArgumentException(
                $"a worker token must be at least {MinimumLength} characters (ArcWorkerToken.Generate() makes one of {Generate().Length})",
                parameterName);
        foreach (char c in token)
            if (c <= ' ' || c > '~')
                throw new ArgumentException("a worker token must be printable ASCII without spaces", parameterName);
    }

    /// <summary>
    /// Reads a token from a file written for this worker alone (a 0600 file, or a Kubernetes Secret mounted as a file):
    /// surrounding whitespace is ignored. Refuses a file that other users may read or write.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is missing, readable by others, or holds no valid token.</exception>
    public static string ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string token;
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // Kubernetes mounts Secret files through a symbolic link into a ..data folder; the mode that counts is the target's.
                var info = new FileInfo(path);
                var mode = (info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info).UnixFileMode;
                const UnixFileMode others = UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
                if ((mode & others) != 0)
                    throw new InvalidOperationException(
                        $"the worker token file {path} may be read or written by other users (mode {Convert.ToString((int)mode, 8)}): make it 0600 or 0400");
            }
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidOperationException($"the worker token file {path} does not exist", e);
        }
        catch (UnauthorizedAccessException e)
        {
            // Not "missing": the file is there, but this worker's user (an image's or a pod's runAsUser) may not read it.
            throw new InvalidOperationException(
                $"the worker token file {path} cannot be read by this worker's user: give that user (or the pod's fsGroup) read access", e);
        }
        try
        {
            Validate(token);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"the worker token file {path} holds no valid token: {e.Message}", e);
        }
        return token;
    }
}
