using MessagePack;
using Xunit;
using Arc.Types;

namespace Arc.Types.Tests;

/// <summary>A user-defined data type built from the public wire helpers, as the docs describe.</summary>
public sealed class PointCloud : IArcData<PointCloud>
{
    public PointCloud(ArcArray points) => Points = points;
    public ArcArray Points { get; }
    public int Count => Points.Rows;
    public static string WireTag => "test.pointcloud";
    public PointCloud Slice(int start, int count) => new(Points.SliceRows(start, count));
    public PointCloud Take(ReadOnlySpan<int> indices) => new(Points.TakeRows(indices));
    public static PointCloud Concat(IReadOnlyList<PointCloud> batches) => new(ArcArray.ConcatRows(batches.Select(b => b.Points).ToList()));

    public static void WriteWire(ref MessagePackWriter writer, PointCloud value)
    {
        WireWriter.WriteHeader(ref writer, WireTag, 1);
        writer.Write("points");
        WireArray.Write(ref writer, value.Points);
    }

    public static PointCloud ReadWire(ref MessagePackReader reader)
    {
        // A deliberately simple reader: the tag/version map is checked by hand here.
        int entries = reader.ReadMapHeader();
        ArcArray? points = null;
        for (int i = 0; i < entries; i++)
        {
            string key = reader.ReadString()!;
            switch (key)
            {
                case "arc": if (reader.ReadString() != WireTag) throw new ArcFormatException("not a point cloud"); break;
                case "v": reader.ReadInt32(); break;
                case "points": points = WireArray.Read(ref reader, "pointcloud.points"); break;
                default: reader.Skip(); break;
            }
        }
        return new PointCloud(points ?? throw new ArcFormatException("pointcloud: 'points' is missing"));
    }
}

public class UserTypeTests
{
    [Fact]
    public void RegisteredUserTypesTravelThroughArcWireAndTheResolver()
    {
        ArcResolver.Register<PointCloud>();
        var cloud = new PointCloud(ArcArray.From(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3));

        var direct = ArcWire.Deserialize<PointCloud>(ArcWire.Serialize(cloud));
        Assert.True(cloud.Points.ContentEquals(direct.Points));

        var bytes = MessagePackSerializer.Serialize(new[] { cloud, cloud.Slice(1, 1) }, ArcWire.Options, TestContext.Current.CancellationToken);
        var back = MessagePackSerializer.Deserialize<PointCloud[]>(bytes, ArcWire.Options, TestContext.Current.CancellationToken);
        Assert.Equal(new double[] { 4, 5, 6 }, back[1].Points.ToArray<double>());
    }

    [Fact]
    public void ErrorsInsideAUserReaderStillComeOutAsArcFormatException()
    {
        var image = ArcWire.Serialize(Samples.Image());
        var e = Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<PointCloud>(image));
        Assert.Contains("not a point cloud", e.Message);
        Assert.Throws<ArcFormatException>(() => ArcWire.Deserialize<PointCloud>(new byte[] { 0x81, 0xa3, (byte)'a' }));
    }
}
