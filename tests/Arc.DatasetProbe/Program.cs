using Arc.Datasets;
using Arc.Sdk;
using Arc.Types;

// The dataset durability test's child process (tests/Arc.Datasets.Tests/Publishing/DurabilityTests.cs), so that a
// publish can be traced with strace without tracing the test process.
//
//   Arc.DatasetProbe publish <destination> <raw folder>
//
// Publishes version v1 of the dataset "probe" (a train and a test split, the raw folder copied) and prints its path.
if (args is not ["publish", var destination, var raw])
{
    Console.Error.WriteLine("usage: Arc.DatasetProbe publish <destination> <raw folder>");
    return 2;
}

static Batch<ImageData, ClassData> Digits(int n)
{
    var pixels = Enumerable.Range(0, n * 4).Select(i => (float)i).ToArray();
    return new(new ImageData(ArcArray.From(pixels, n, 1, 2, 2)), new ClassData(Enumerable.Range(0, n).Select(i => (long)(i % 2)).ToArray(), ["even", "odd"]));
}

var published = await new DatasetBuilder<ImageData, ClassData>("probe")
    .AddSplit(DataSplit.Train, Digits(10))
    .AddSplit(DataSplit.Test, Digits(4))
    .WithRaw(raw)
    .PublishAsync(destination, "v1");
Console.WriteLine(published.Path);
return 0;
