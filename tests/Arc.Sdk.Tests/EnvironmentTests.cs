using Xunit;
using Arc.Sdk;

namespace Arc.Sdk.Tests;

public class EnvironmentTests
{
    [Fact]
    public void SampleReportsThisMachineAndLoadsLibTorch()
    {
        var report = ArcEnvironment.Sample();
        Assert.Equal(Environment.ProcessorCount, report.ProcessorCount);
        Assert.True(report.MemoryBytes > 0);
        Assert.StartsWith(".NET", report.DotNetVersion);
        Assert.Equal("0.107.0", report.TorchSharpVersion);
        Assert.Null(report.LibTorchError);
        Assert.StartsWith("2.", report.LibTorchVersion);
        Assert.Equal(report.CudaAvailable ? "cuda" : "cpu", report.DefaultDevice);
        var text = report.Format();
        Assert.Contains("libtorch", text);
        Assert.Contains(report.LibTorchVersion!, text);
    }

    [Fact]
    public void ParsesNvidiaSmiCsvAndSkipsJunkLines()
    {
        var gpus = ArcEnvironment.ParseNvidiaSmi("0, NVIDIA H100 80GB HBM3, 81559\n1, NVIDIA H200, [N/A]\nnot a gpu line\n");
        Assert.Equal(2, gpus.Count);
        Assert.Equal(new GpuInfo(0, "NVIDIA H100 80GB HBM3", 81559L * 1024 * 1024), gpus[0]);
        Assert.Equal("NVIDIA H200", gpus[1].Name);
        Assert.Null(gpus[1].MemoryBytes);
    }
}
