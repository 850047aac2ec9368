using TorchSharp;
using Arc.Torch;

namespace Arc.Sdk.Tests.Torch;

public sealed class ArcDeviceTests
{
    [Theory]
    [InlineData("auto", "auto")]
    [InlineData(" CPU ", "cpu")]
    [InlineData("cuda", "cuda:0")]
    [InlineData("cuda:3", "cuda:3")]
    public void Devices_parse_and_print(string text, string printed) => Assert.Equal(printed, ArcDevice.Parse(text).ToString());

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    public void Other_text_is_not_a_device(string text)
    {
        var e = Assert.Throws<FormatException>(() => ArcDevice.Parse(text));
        Assert.Contains("auto, cpu, cuda or cuda:N", e.Message);
    }

    [Fact]
    public void The_default_is_auto_which_picks_CUDA_only_when_there_is_one()
    {
        Assert.True(default(ArcDevice).IsAuto);
        Assert.Equal(ArcDevice.Auto, default);
        var expected = torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;
        Assert.Equal(expected, ArcDevice.Auto.Resolve().type);
        Assert.Equal(DeviceType.CPU, ArcDevice.Cpu.Resolve().type);
    }

    [Fact]
    public void Asking_for_a_missing_GPU_fails_with_a_message()
    {
        var missing = ArcDevice.Cuda(torch.cuda.is_available() ? torch.cuda.device_count() : 0);
        var e = Assert.Throws<InvalidOperationException>(() => missing.Resolve());
        Assert.Contains(missing.ToString(), e.Message);
    }
}
