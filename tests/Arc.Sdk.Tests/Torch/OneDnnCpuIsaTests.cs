using System.Runtime.InteropServices;
using Arc.Samples.Mnist;
using Arc.Torch;
using Arc.Types;
using TorchSharp;
using static TorchSharp.torch;

namespace Arc.Sdk.Tests.Torch;

/// <summary>
/// Arc caps oneDNN at AVX2 unless the user chose otherwise (OneDnnCpuIsa.cs says why: its AVX-512 kernels made
/// seeded CNN training end in NaN at random on this project's AMD EPYC machines).
/// </summary>
public sealed class OneDnnCpuIsaTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    [Fact]
    public void Once_a_model_exists_libtorch_sees_the_cap_or_the_users_own_choice()
    {
        string? chosenAtStart = Environment.GetEnvironmentVariable(OneDnnCpuIsa.Variable) is { Length: > 0 } own && own != OneDnnCpuIsa.Default ? own : null;
        using var model = new SmallCnn();

        // What the C library's getenv returns is what oneDNN reads; .NET's own copy alone would not reach it.
        string? native = Marshal.PtrToStringUTF8(GetEnv(OneDnnCpuIsa.Variable));
        Assert.Equal(chosenAtStart ?? OneDnnCpuIsa.Default, native);
        Assert.Equal(native, OneDnnCpuIsa.Apply()); // a second call changes nothing
    }

    [Fact]
    public async Task Seeded_CNN_training_gives_the_same_finite_losses_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        // Both trainings start from the same weights, copied rather than re-seeded: torch's generator is one per
        // process, and another test class building layers at the same moment would draw from it between the seed
        // and this model's layers (the initial losses then differed once in CI).
        byte[] initialWeights;
        using (var seeded = new SmallCnn())
        using (var bytes = new MemoryStream())
        {
            seeded.SaveWeights(bytes);
            initialWeights = bytes.ToArray();
        }
        var first = await LossesAsync(initialWeights, ct);
        var second = await LossesAsync(initialWeights, ct);
        Assert.All(first, loss => Assert.True(double.IsFinite(loss), $"losses {string.Join(", ", first)}"));
        Assert.Equal(first, second);
        Assert.True(first[^1] < first[0] * 0.7, $"the loss did not fall: {string.Join(", ", first)}");
    }

    /// <summary>Three epochs of a small CNN from <paramref name="initialWeights"/> over the fixture's 800 digits in batches of 32 (75 steps).</summary>
    private async Task<double[]> LossesAsync(byte[] initialWeights, CancellationToken ct)
    {
        using var model = new SmallCnn();
        using (var weights = new MemoryStream(initialWeights)) model.LoadWeights(weights);
        var train = mnist.Data.Train;
        var losses = new List<double>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < train.Inputs.Count; start += 32)
            {
                int count = Math.Min(32, train.Inputs.Count - start);
                var x = train.Inputs.Slice(start, count);
                var y = train.Targets.Slice(start, count);
                sum += (await ((ISupervisedModel<ImageData, ClassData>)model).FitAsync(x, y, ct)).Loss;
                batches++;
            }
            losses.Add(sum / batches);
        }
        return [.. losses];
    }

    /// <summary>The MNIST sample's CNN in small (conv 1→4, conv 4→8, linear), seeded: convolutions are what oneDNN runs.</summary>
    private sealed class SmallCnn : TorchClassifier<ImageData>
    {
        public SmallCnn() : base(MnistDigits.ClassNames, ArcDevice.Cpu)
        {
            MnistDigits.SeedWeights(7);
            Initialize(
                nn.Sequential(
                    nn.Conv2d(1, 4, kernel_size: 3, padding: 1), nn.ReLU(), nn.MaxPool2d(kernel_size: 2),
                    nn.Conv2d(4, 8, kernel_size: 3, padding: 1), nn.ReLU(), nn.MaxPool2d(kernel_size: 2),
                    nn.Flatten(),
                    nn.Linear(8 * 7 * 7, MnistDigits.ClassNames.Count)),
                parameters => optim.Adam(parameters, 2e-3));
        }

        protected override Tensor ToInput(ImageData x) => MnistDigits.Standardize(x.ToTensor(Device));
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
