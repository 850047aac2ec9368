using System.Globalization;
using Arc.Remote;
using Arc.Samples.Mnist;
using Arc.Sdk.Tests.Remote;
using Arc.Torch;
using Arc.Types;

namespace Arc.Sdk.Tests.Torch;

/// <summary>
/// NativeHeapTuning: a worker fitting MNIST-sized batches keeps its tensor memory between steps instead of faulting it
/// back in every step, and Arc leaves the allocator alone where the user chose one.
/// </summary>
public sealed class NativeHeapTuningTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_worker_fitting_mnist_batches_reuses_its_tensor_memory_unless_the_tuning_is_off()
    {
        // Both workers run at once, so they see the same machine; each counts its own page faults.
        var tuned = MinorFaultsPerStepAsync(tuningOff: false);
        var untuned = MinorFaultsPerStepAsync(tuningOff: true);
        double withTuning = await tuned, without = await untuned;

        // Untuned, glibc maps and trims each step's ~200 KiB tensors afresh (~50 pages each, 200-220 faults a step here);
        // tuned, ~20 remain (the runtime's own, thread stacks and code among them).
        Assert.True(without > 100, $"the untuned worker faulted only {without:0.0} pages a step: the measurement did not see the problem it guards against");
        Assert.True(withTuning < without / 2.5, $"the tuned worker faulted {withTuning:0.0} pages a step, the untuned {without:0.0}");
    }

    [Fact]
    public void The_users_own_allocator_choice_is_left_alone()
    {
        static string? Reason(params (string Name, string Value)[] set)
            => NativeHeapTuning.ReasonToLeaveAlone(name => set.FirstOrDefault(v => v.Name == name).Value);

        Assert.Null(Reason());
        Assert.Null(Reason(("ARC_MALLOC_TUNING", "on"), ("LD_PRELOAD", "/usr/lib/libfoo.so"), ("GLIBC_TUNABLES", "glibc.rtld.nns=2")));
        Assert.Equal("ARC_MALLOC_TUNING=off", Reason(("ARC_MALLOC_TUNING", "off")));
        Assert.Equal("ARC_MALLOC_TUNING=0", Reason(("ARC_MALLOC_TUNING", "0")));
        Assert.Equal("MALLOC_ARENA_MAX is set", Reason(("MALLOC_ARENA_MAX", "2")));
        Assert.Equal("MALLOC_TRIM_THRESHOLD_ is set", Reason(("MALLOC_TRIM_THRESHOLD_", "0")));
        Assert.Equal("GLIBC_TUNABLES sets glibc.malloc", Reason(("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=65536")));
        Assert.Equal("jemalloc is preloaded", Reason(("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2")));
        Assert.Equal("tuned: mmap threshold 1 MiB, trim threshold 2 MiB", NativeHeapTuning.Apply()); // this test process: glibc, nothing chosen
    }

    /// <summary>
    /// Deploys the sample's MLP shape (<see cref="DigitWorkerMlp"/>) on a worker process (the tuning turned off there or not), fits 20 batches of 64 random
    /// 28×28 images to warm it up, then counts the worker's minor page faults over 60 more.
    /// </summary>
    private static async Task<double> MinorFaultsPerStepAsync(bool tuningOff)
    {
        const int steps = 60;
        var registration = Assert.IsType<ModelRegistration<DigitWorkerMlp, DigitWorkerMlp.Hyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel("digitworkermlp"));
        var options = new LocalProcessOptions { Log = _ => { } };
        var launch = WorkerLaunch.For(registration, registration.WriteParameters(new DigitWorkerMlp.Hyperparameters()), options);
        if (tuningOff)
            launch = launch with { Variables = new Dictionary<string, string>(launch.Variables) { [NativeHeapTuning.OptOutVariable] = "off" } };
        await using var worker = await LocalProcessModel<ImageData, ClassData>.StartAsync(launch, options, Ct);

        var images = RemoteTestData.Images(64, 28, 28, seed: 5).Images;
        var labels = new ClassData(Enumerable.Range(0, 64).Select(i => (long)(i % 10)).ToArray(), MnistDigits.ClassNames);
        for (int i = 0; i < 20; i++) await worker.FitAsync(images, labels, Ct);
        long before = MinorFaults(worker.ProcessId);
        for (int i = 0; i < steps; i++) await worker.FitAsync(images, labels, Ct);
        return (MinorFaults(worker.ProcessId) - before) / (double)steps;
    }

    /// <summary>Field 10 of /proc/PID/stat: the process's minor page faults so far.</summary>
    private static long MinorFaults(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // the name in parentheses may hold spaces
        return long.Parse(fields[7], CultureInfo.InvariantCulture); // field 10 counted from the state (field 3)
    }
}
