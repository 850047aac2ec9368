using Arc.Sdk;

namespace Arc.Sdk.Tests.Develop;

/// <summary>Which runtimes/&lt;rid&gt;/ assets a develop reload leaves out on this (Linux x64) machine.</summary>
public sealed class PlatformAssetsTests
{
    [Theory]
    [InlineData("runtimes/win-x64/native/LibTorchSharp.dll", true)]
    [InlineData("runtimes/osx-arm64/native/libLibTorchSharp.dylib", true)]
    [InlineData("runtimes/osx/native/libSkiaSharp.dylib", true)]
    [InlineData("runtimes/linux-arm64/native/libSkiaSharp.so", true)]
    [InlineData("runtimes/linux-musl-x64/native/libSkiaSharp.so", true)]
    [InlineData("runtimes/linux-x64/native/libtorch_cpu.so", false)]
    [InlineData("runtimes/unix/lib/net8.0/System.Foo.dll", false)]
    [InlineData("runtimes/debian.12-x64/native/libfoo.so", false)] // not judged: it travels
    [InlineData("MyModels.dll", false)]
    [InlineData("runtimes/notes.txt", false)]
    public void Other_platforms_assets_are_left_out(string path, bool leftOut)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64,
            "the cases are written for linux-x64");
        Assert.Equal(leftOut, PlatformAssets.IsForOtherPlatform(path));
    }
}
