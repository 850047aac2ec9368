using TorchSharp;
using Arc.Types;

namespace Arc.Torch;

/// <summary>Bulk conversion between <see cref="ArcArray"/> and TorchSharp tensors (one byte copy each way).</summary>
public static class TensorInterop
{
    /// <summary>A new tensor with the array's dtype and shape, on <paramref name="device"/> (CPU when null).</summary>
    public static torch.Tensor ToTensor(this ArcArray array, torch.Device? device = null)
    {
        var shape = new long[array.Rank];
        for (int i = 0; i < shape.Length; i++) shape[i] = array.Shape[i];
        var cpu = torch.empty(shape, ToScalarType(array.DType));
        if (array.Length > 0) cpu.bytes = array.UnsafeBuffer; // TorchSharp copies these bytes in
        if (device is null || device.type == DeviceType.CPU) return cpu;
        using (cpu) return cpu.to(device);
    }

    /// <summary>Copies a tensor (any device, any layout) into a new <see cref="ArcArray"/>.</summary>
    public static ArcArray ToArcArray(this torch.Tensor tensor)
    {
        var dtype = FromScalarType(tensor.dtype);
        using var cpu = tensor.detach().cpu().contiguous();
        var shape = new int[cpu.shape.Length];
        for (int i = 0; i < shape.Length; i++) shape[i] = checked((int)cpu.shape[i]);
        var bytes = cpu.numel() == 0 ? Array.Empty<byte>() : cpu.bytes.ToArray();
        return ArcArray.FromBytes(dtype, shape, bytes);
    }

    /// <summary>The TorchSharp scalar type of an Arc dtype.</summary>
    public static torch.ScalarType ToScalarType(ArcDType dtype) => dtype switch
    {
        ArcDType.Float32 => torch.ScalarType.Float32,
        ArcDType.Float64 => torch.ScalarType.Float64,
        ArcDType.Int32 => torch.ScalarType.Int32,
        ArcDType.Int64 => torch.ScalarType.Int64,
        ArcDType.UInt8 => torch.ScalarType.Byte,
        ArcDType.Bool => torch.ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The Arc dtype of a TorchSharp scalar type; throws for types Arc does not carry (e.g. float16).</summary>
    public static ArcDType FromScalarType(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => ArcDType.Float32,
        torch.ScalarType.Float64 => ArcDType.Float64,
        torch.ScalarType.Int32 => ArcDType.Int32,
        torch.ScalarType.Int64 => ArcDType.Int64,
        torch.ScalarType.Byte => ArcDType.UInt8,
        torch.ScalarType.Bool => ArcDType.Bool,
        _ => throw new NotSupportedException($"tensors of {type} cannot become Arc data; convert to float32/float64/int32/int64/uint8/bool first"),
    };
}
