using Arc.Sdk;

namespace Arc.Serving;

/// <summary>
/// Adds the content types that need more than Arc.Sdk has to every inference module's codecs
/// (<see cref="ContentCodecs"/>): <c>image/png</c> and <c>image/jpeg</c> (SkiaSharp) and <c>application/x-npy</c>
/// (Arc.Datasets). <see cref="InferenceServer.StartAsync"/> calls it; so can a program that uses a module directly.
/// </summary>
public static class ServingCodecs
{
    /// <summary>Registers the codecs (again is harmless).</summary>
    public static void Register()
    {
        ContentCodecs.Add(new ImageContentCodec(ContentTypes.Png));
        ContentCodecs.Add(new ImageContentCodec(ContentTypes.Jpeg));
        ContentCodecs.Add(new NpyContentCodec());
    }
}
