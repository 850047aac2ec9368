using Microsoft.Extensions.Logging;

namespace Arc.Sdk;

/// <summary>
/// The inference protocol of seed 004 ("aimodellib") in .NET: load a model from a model directory, decode a request's
/// bytes by content type, predict, and encode the answer for what the caller accepts. The generator provides one for
/// every <c>[Model]</c> (<c>MyModel.InferenceModule</c>, through <see cref="InferenceModule{TModel, X, Y}"/>); a user
/// may write their own and name it in the manifest's <c>servingScript</c> (<c>&lt;assembly&gt;.dll:&lt;type&gt;</c>, docs/serving.md). Values are typed <see cref="object"/> so that a
/// host (the HTTP server, <c>arc serve</c>) can drive any module without knowing its types.
/// </summary>
public interface IInferenceModule
{
    /// <summary>The model's registered name: what <c>/v2/models/{name}</c> serves it under.</summary>
    string Name { get; }

    /// <summary>The content types <see cref="Deserialize"/> reads, in order of preference (the 415 answer lists them).</summary>
    IReadOnlyList<string> InputContentTypes { get; }

    /// <summary>The content types <see cref="Serialize"/> writes, the default first (the 406 answer lists them).</summary>
    IReadOnlyList<string> OutputContentTypes { get; }

    /// <summary>Loads and returns the model saved in <paramref name="modelDir"/>.</summary>
    /// <param name="modelDir">The directory the training wrote (<see cref="ModelDirectory"/>).</param>
    /// <param name="logger">Where to say what was loaded; null for silence.</param>
    object Load(string modelDir, ILogger? logger = null);

    /// <summary>Decodes a request body into the model's input.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="contentType">Their content type; <c>application/octet-stream</c> when the request names none.</param>
    /// <exception cref="UnsupportedContentTypeException">The content type is not one of <see cref="InputContentTypes"/>.</exception>
    /// <exception cref="Arc.Types.ArcFormatException">The bytes are not valid for the content type (the message says where).</exception>
    object Deserialize(ReadOnlyMemory<byte> data, string contentType = ContentTypes.OctetStream);

    /// <summary>Runs the model on one decoded input.</summary>
    /// <param name="input">What <see cref="Deserialize"/> returned.</param>
    /// <param name="model">What <see cref="Load"/> returned.</param>
    object Predict(object input, object model);

    /// <summary>Encodes a prediction for a caller that accepts <paramref name="accepted"/> (an HTTP <c>Accept</c> value).</summary>
    /// <param name="output">What <see cref="Predict"/> returned.</param>
    /// <param name="accepted">The acceptable types; <c>*/*</c> (any) when the request names none.</param>
    /// <returns>The bytes and their content type.</returns>
    /// <exception cref="NotAcceptableContentTypeException">None of <see cref="OutputContentTypes"/> is acceptable.</exception>
    (byte[] Bytes, string ContentType) Serialize(object output, string accepted = ContentTypes.Any);
}
