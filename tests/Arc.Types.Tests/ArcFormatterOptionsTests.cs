using MessagePack;
using Xunit;

namespace Arc.Types.Tests;

/// <summary>
/// <see cref="ArcFormatterOptions"/>: what Arc hands its own formatters. It knows Arc data types and nothing else (no
/// fallback to MessagePack's standard resolvers, whose first use a worker's start would pay), reads untrusted data
/// with depth limits, and stays itself when copied with a changed setting.
/// </summary>
public sealed class ArcFormatterOptionsTests
{
    [Fact]
    public void It_resolves_Arc_data_types_and_nothing_else()
    {
        var resolver = ArcFormatterOptions.Instance.Resolver;
        Assert.Same(ArcDataFormatter<ImageData>.Instance, resolver.GetFormatter<ImageData>());
        Assert.Same(ArcDataFormatter<ClassData>.Instance, resolver.GetFormatter<ClassData>());
        Assert.Null(resolver.GetFormatter<string>());
        Assert.Null(resolver.GetFormatter<int>());
        Assert.Null(resolver.GetFormatter<Dictionary<string, object>>());
    }

    [Fact]
    public void It_reads_untrusted_data_with_depth_limits()
        => Assert.Same(MessagePackSecurity.UntrustedData, ArcFormatterOptions.Instance.Security);

    [Fact]
    public void A_copy_with_another_setting_is_still_Arc_formatter_options_with_the_same_resolver()
    {
        var copy = ArcFormatterOptions.Instance.WithCompression(MessagePackCompression.Lz4BlockArray);
        Assert.IsType<ArcFormatterOptions>(copy);
        Assert.NotSame(ArcFormatterOptions.Instance, copy);
        Assert.Same(ArcFormatterOptions.Instance.Resolver, copy.Resolver);
        Assert.Same(MessagePackSecurity.UntrustedData, copy.Security);
        Assert.Equal(MessagePackCompression.None, ArcFormatterOptions.Instance.Compression); // the shared instance is unchanged
    }

    [Fact]
    public void An_Arc_value_round_trips_through_its_formatter_with_these_options()
    {
        var image = Samples.Image();
        var formatter = ArcFormatterOptions.Instance.Resolver.GetFormatter<ImageData>()!;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        formatter.Serialize(ref writer, image, ArcFormatterOptions.Instance);
        writer.Flush();
        var reader = new MessagePackReader(buffer.WrittenMemory);
        Assert.True(image.ContentEquals(formatter.Deserialize(ref reader, ArcFormatterOptions.Instance)));
        Assert.True(reader.End);
    }
}
