namespace Arc.Remote;

/// <summary>
/// Keeps a status detail (the <c>grpc-message</c> header) small whatever it quotes. A detail that quotes a caller's
/// bytes — a map key, a pod name, a path — could otherwise be as long as the request: gRPC percent-encodes it (one
/// non-ASCII character takes up to nine bytes), and a client whose header limit it passes (64 KiB in Grpc.Net) does not
/// read the status: it fails the whole HTTP/2 connection, every other call in flight on it included. The live fuzzer
/// found this with a 70,000-character map key (tests/Arc.Sdk.Tests/Remote/Fuzz/).
/// </summary>
internal static class StatusDetails
{
    /// <summary>The longest detail sent, in characters: room for any of Arc's messages, at most about 9 KiB on the wire.</summary>
    public const int MaxChars = 1024;

    /// <summary>The longest piece of a caller's text quoted inside a detail by <see cref="Quote"/>, so what follows it survives <see cref="Clip(string)"/>.</summary>
    public const int MaxQuotedChars = 256;

    /// <summary><paramref name="detail"/>, or its first <see cref="MaxChars"/> characters and how long it was.</summary>
    public static string Clip(string detail) => Clip(detail, MaxChars);

    /// <summary>A caller's <paramref name="text"/> to quote in a detail: at most <see cref="MaxQuotedChars"/> characters and how long it was.</summary>
    public static string Quote(string text) => Clip(text, MaxQuotedChars);

    /// <summary><paramref name="text"/>, or its first <paramref name="max"/> characters (never half of one) and how long it was.</summary>
    public static string Clip(string text, int max)
    {
        if (text.Length <= max) return text;
        int keep = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max; // never half a character
        return string.Concat(text.AsSpan(0, keep), $"… ({text.Length} characters)");
    }
}
