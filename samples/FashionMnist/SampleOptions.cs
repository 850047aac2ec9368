using System.Globalization;

namespace Arc.Samples.FashionMnist;

/// <summary>The sample's command line: <c>[--quick] [--output DIR] [--data DIR] [--epochs N] [--tracking DEST]</c>.</summary>
/// <param name="Quick">A small run for tests: 6,000 training and 1,000 test images, one epoch, 200 PNG files.</param>
/// <param name="Output">Where datasets, models and PNG files go (default: a new folder under the system's temporary folder).</param>
/// <param name="Data">The Fashion-MNIST IDX files (default: where Debian's dataset-fashion-mnist puts them).</param>
/// <param name="Epochs">Training epochs (default: 1 quick, 3 full).</param>
/// <param name="Tracking">Also register the model version there (<c>file:DIR</c> or <c>http://host:port</c>); none by default.</param>
public sealed record SampleOptions(bool Quick, string Output, string Data, int Epochs, string? Tracking)
{
    public int TrainImages => Quick ? 6_000 : 0;       // 0: all 60,000
    public int TestImages => Quick ? 1_000 : 0;        // 0: all 10,000
    public int PngFiles => Quick ? 200 : 1_000;

    public static SampleOptions Parse(string[] args)
    {
        bool quick = false;
        string? output = null, tracking = null;
        string data = FashionMnistIdx.DefaultDirectory;
        int? epochs = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--output": output = Value(); break;
                case "--data": data = Value(); break;
                case "--epochs": epochs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--tracking": tracking = Value(); break;
                default: throw new ArgumentException($"unknown option {args[i]}; use [--quick] [--output DIR] [--data DIR] [--epochs N] [--tracking DEST]");
            }
        }
        output ??= Directory.CreateTempSubdirectory("arc-fashion-mnist-").FullName;
        return new SampleOptions(quick, Path.GetFullPath(output), data, epochs ?? (quick ? 1 : 3), tracking);
    }
}
