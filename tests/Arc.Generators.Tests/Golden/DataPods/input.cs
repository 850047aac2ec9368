using System;
using System.Collections.Generic;
using System.Linq;
using MessagePack;
using Arc.Sdk;
using Arc.Types;

namespace Samples.Data;

/// <summary>A user-defined data type: a batch of 2-D points, with its own wire form.</summary>
public sealed class Points : IArcData<Points>
{
    /// <summary>Creates the batch.</summary>
    public Points(double[] xs, double[] ys)
    {
        if (xs.Length != ys.Length) throw new ArgumentException("xs and ys differ in length");
        Xs = xs;
        Ys = ys;
    }

    /// <summary>X coordinates.</summary>
    public double[] Xs { get; }

    /// <summary>Y coordinates.</summary>
    public double[] Ys { get; }

    /// <inheritdoc />
    public int Count => Xs.Length;

    /// <inheritdoc />
    public static string WireTag => "points";

    /// <inheritdoc />
    public Points Slice(int start, int count) => new(Xs.AsSpan(start, count).ToArray(), Ys.AsSpan(start, count).ToArray());

    /// <inheritdoc />
    public Points Take(ReadOnlySpan<int> indices)
    {
        var order = indices.ToArray();
        return new(order.Select(i => Xs[i]).ToArray(), order.Select(i => Ys[i]).ToArray());
    }

    /// <inheritdoc />
    public static Points Concat(IReadOnlyList<Points> batches)
        => new(batches.SelectMany(b => b.Xs).ToArray(), batches.SelectMany(b => b.Ys).ToArray());

    /// <inheritdoc />
    public static void WriteWire(ref MessagePackWriter writer, Points value)
    {
        writer.WriteMapHeader(3);
        writer.Write("arc");
        writer.Write(WireTag);
        writer.Write("x");
        Write(ref writer, value.Xs);
        writer.Write("y");
        Write(ref writer, value.Ys);
    }

    /// <inheritdoc />
    public static Points ReadWire(ref MessagePackReader reader)
    {
        int entries = reader.ReadMapHeader();
        double[] xs = [], ys = [];
        string? tag = null;
        for (int i = 0; i < entries; i++)
        {
            switch (reader.ReadString())
            {
                case "arc": tag = reader.ReadString(); break;
                case "x": xs = Read(ref reader); break;
                case "y": ys = Read(ref reader); break;
                default: reader.Skip(); break;
            }
        }
        if (tag != WireTag) throw new ArcFormatException($"expected a '{WireTag}' map, got '{tag}'");
        return new Points(xs, ys);
    }

    private static void Write(ref MessagePackWriter writer, double[] values)
    {
        writer.WriteArrayHeader(values.Length);
        foreach (var v in values) writer.Write(v);
    }

    private static double[] Read(ref MessagePackReader reader)
    {
        var values = new double[reader.ReadArrayHeader()];
        for (int i = 0; i < values.Length; i++) values[i] = reader.ReadDouble();
        return values;
    }
}

/// <summary>A pod over the user's data type.</summary>
public static partial class Geometry
{
    /// <summary>Moves every point by (dx, dy); the points may be absent.</summary>
    [Pod]
    public static Points? Shift(Points? points, double dx = 0, double dy = 0)
        => points is null ? null : new(points.Xs.Select(x => x + dx).ToArray(), points.Ys.Select(y => y + dy).ToArray());

    /// <summary>The centroid of each batch.</summary>
    [Pod]
    public static Points Centroids(Points[] batches)
        => new(batches.Select(b => b.Xs.Average()).ToArray(), batches.Select(b => b.Ys.Average()).ToArray());
}
