using TorchSharp;

namespace Arc.Torch;

/// <summary>
/// Where a TorchSharp model computes: <see cref="Auto"/> (CUDA when TorchSharp finds a GPU, else the CPU),
/// <see cref="Cpu"/>, or <see cref="Cuda"/> with a device index. Parses from and prints as <c>auto</c>, <c>cpu</c>,
/// <c>cuda</c>, <c>cuda:1</c>.
/// </summary>
public readonly record struct ArcDevice
{
    private readonly string? _spec; // null: auto (so default(ArcDevice) is Auto)

    private ArcDevice(string? spec) => _spec = spec;

    /// <summary>The environment variable that, when set to <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>, decides what <see cref="Auto"/> resolves to.</summary>
    public const string DeviceVariable = "ARC_DEVICE";

    /// <summary>CUDA device 0 when available, else the CPU; or what <see cref="DeviceVariable"/> names.</summary>
    public static ArcDevice Auto => default;

    /// <summary>The CPU.</summary>
    public static ArcDevice Cpu => new("cpu");

    /// <summary>CUDA device <paramref name="index"/>.</summary>
    public static ArcDevice Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new($"cuda:{index}");
    }

    /// <summary>Whether this is <see cref="Auto"/>.</summary>
    public bool IsAuto => _spec is null;

    /// <summary>Parses <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive).</summary>
    /// <exception cref="FormatException">Anything else.</exception>
    public static ArcDevice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = text.Trim().ToLowerInvariant();
        if (spec == "auto") return Auto;
        if (spec == "cpu") return Cpu;
        if (spec == "cuda") return Cuda(0);
        if (spec.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(spec.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
            return Cuda(index);
        throw new FormatException($"'{text}' is not a device; use auto, cpu, cuda or cuda:N");
    }

    /// <summary>The TorchSharp device this names, resolving <see cref="Auto"/> now.</summary>
    /// <exception cref="InvalidOperationException">CUDA was asked for explicitly but TorchSharp finds no usable GPU.</exception>
    /// <exception cref="DllNotFoundException">TorchSharp's native library does not load because the system's libstdc++ is too old (the message names the fix).</exception>
    public torch.Device Resolve()
    {
        TorchNativeLibrary.EnsureLoaded(); // a native library that does not load is reported with its cause, here
        if (_spec is null)
        {
            // A process-wide choice (the generated command line's --device sets it, worker processes inherit it).
            if (Environment.GetEnvironmentVariable(DeviceVariable) is { Length: > 0 } chosen)
                return Parse(chosen) is { IsAuto: false } device ? device.Resolve() : (torch.cuda.is_available() ? torch.CUDA : torch.CPU);
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }
        if (_spec == "cpu") return torch.CPU;
        if (!torch.cuda.is_available())
            throw new InvalidOperationException(
                $"device {_spec} was requested but TorchSharp finds no CUDA device; this build brings the CPU libtorch " +
                "(ArcLibTorch=cpu). Use ArcDevice.Auto or Cpu, or run where a CUDA libtorch and a GPU are available.");
        int index = int.Parse(_spec.AsSpan(5), provider: System.Globalization.CultureInfo.InvariantCulture);
        if (index >= torch.cuda.device_count())
            throw new InvalidOperationException($"device {_spec} was requested but only {torch.cuda.device_count()} CUDA device(s) exist");
        return new torch.Device(DeviceType.CUDA, index);
    }

    /// <inheritdoc />
    public override string ToString() => _spec ?? "auto";
}
