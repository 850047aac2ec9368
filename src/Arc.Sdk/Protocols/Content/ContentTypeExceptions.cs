namespace Arc.Sdk;

/// <summary>A request's content type is not one the model reads (HTTP 415); <see cref="Supported"/> says which are.</summary>
public sealed class UnsupportedContentTypeException : Exception
{
    /// <summary>Creates the exception for <paramref name="contentType"/>.</summary>
    public UnsupportedContentTypeException(string contentType, IReadOnlyList<string> supported)
        : base($"content type '{contentType}' is not supported; send one of: {string.Join(", ", supported)}")
    {
        ContentType = contentType;
        Supported = supported;
    }

    /// <summary>The refused content type.</summary>
    public string ContentType { get; }

    /// <summary>The content types that would have been read.</summary>
    public IReadOnlyList<string> Supported { get; }
}

/// <summary>No content type the model's answer can take is acceptable to the caller (HTTP 406); <see cref="Supported"/> lists them.</summary>
public sealed class NotAcceptableContentTypeException : Exception
{
    /// <summary>Creates the exception for the <c>Accept</c> value <paramref name="accepted"/>.</summary>
    public NotAcceptableContentTypeException(string accepted, IReadOnlyList<string> supported)
        : base($"no acceptable content type in '{accepted}'; the answer can be one of: {string.Join(", ", supported)}")
    {
        Accepted = accepted;
        Supported = supported;
    }

    /// <summary>The caller's <c>Accept</c> value.</summary>
    public string Accepted { get; }

    /// <summary>The content types the answer can take.</summary>
    public IReadOnlyList<string> Supported { get; }
}
