using System.Globalization;
using Arc.Remote;
using Arc.Samples.Mnist;
using Arc.Sdk.Tests.Remote;
using Arc.Torch;
using Arc.Types;

namespace Arc.Sdk.Tests.Torch;

/// <summary>
/// NativeHeapTuning: a worker fitting MNIST-sized batches keeps its tensor memory between steps instead of faulting it
/// back in every step, small tensors (the MLP) and tensors over 1 MiB (the CNN) alike, and Arc leaves the allocator
/// alone where the user chose one (which the controls use to recreate the settings the tuning replaces).
/// </summary>
public sealed class NativeHeapTuningTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_worker_fitting_mnist_batches_reuses_its_tensor_memory()
    {
        // The control keeps glibc's starting thresholds (128 KiB) fixed, as its adaptation left them in a worker that
        // only ever saw one batch size: every ~200 KiB tensor is mapped afresh (~50 pages each, 200-360 faults a step).
        // Tuned, ~20 remain (the runtime's own, thread stacks and code among them).
        var (tuned, control) = await FaultsTunedAndMappingAsync<DigitWorkerMlp, DigitWorkerMlp.Hyperparameters>("digitworkermlp", new(), mappedFrom: 128 << 10);
        Assert.True(control > 100, $"the worker mapping 128 KiB blocks afresh faulted only {control:0.0} pages a step: the measurement did not see the problem it guards against");
        Assert.True(tuned < control / 2.5, $"the tuned worker faulted {tuned:0.0} pages a step, the one mapping 128 KiB blocks {control:0.0}");
    }

    [Fact]
    public async Task A_worker_fitting_the_sample_cnn_reuses_its_tensors_over_a_mebibyte()
    {
        // The CNN's activations for 64 digits are 1.6 MB each. The control is the first tuning's setting (blocks of
        // 1 MiB or more mapped on their own): every step faulted ~1,300-3,300 pages back in. Tuned, a step's tensors
        // come from the heap it used last step: ~10-70 a step.
        var (tuned, control) = await FaultsTunedAndMappingAsync<DigitWorkerCnn, DigitWorkerCnn.Hyperparameters>("digitworkercnn", new(), mappedFrom: 1 << 20);
        Assert.True(control > 500, $"the worker mapping 1 MiB blocks afresh faulted only {control:0.0} pages a step: the measurement did not see the problem it guards against");
        Assert.True(tuned < 150 && tuned < control / 5, $"the tuned worker faulted {tuned:0.0} pages a step, the one mapping 1 MiB blocks {control:0.0}");
    }

    /// <summary>
    /// The page faults a step of two workers of <paramref name="model"/> run at once, so that they see the same
    /// machine: one tuned, and the control, which maps every block of <paramref name="mappedFrom"/> bytes or more
    /// afresh (glibc's own <c>MALLOC_MMAP_THRESHOLD_</c>, a user's choice that Arc keeps).
    /// </summary>
    private static async Task<(double Tuned, double Control)> FaultsTunedAndMappingAsync<TModel, THyperparameters>(string model,
        THyperparameters hyperparameters, int mappedFrom)
        where TModel : class, ISupervisedModel<ImageData, ClassData>
        where THyperparameters : class
    {
        var tuned = MinorFaultsPerStepAsync<TModel, THyperparameters>(model, hyperparameters, variable: null);
        var mapped = MinorFaultsPerStepAsync<TModel, THyperparameters>(model, hyperparameters, ("MALLOC_MMAP_THRESHOLD_", mappedFrom.ToString(CultureInfo.InvariantCulture)));
        double withTuning = await tuned, control = await mapped;
        TestContext.Current.TestOutputHelper?.WriteLine($"page faults a step: tuned {withTuning:0.0}, mapping blocks of {mappedFrom} bytes or more {control:0.0}");
        return (withTuning, control);
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
        Assert.Equal("tuned: mmap threshold 32 MiB, trim threshold 64 MiB, at most 2 arenas", NativeHeapTuning.Apply()); // this test process: glibc, nothing chosen
    }

    /// <summary>
    /// Deploys one of the sample's model shapes (<see cref="DigitWorkerMlp"/>, <see cref="DigitWorkerCnn"/>) on a worker
    /// process (with <paramref name="variable"/> set there, e.g. to turn the tuning off), fits 20 batches of 64 random 28×28 images to warm it up, then
    /// counts the worker's minor page faults over 60 more.
    /// </summary>
    private static async Task<double> MinorFaultsPerStepAsync<TModel, THyperparameters>(string model, THyperparameters hyperparameters, (string Name, string Value)? variable)
        where TModel : class, ISupervisedModel<ImageData, ClassData>
        where THyperparameters : class
    {
        const int steps = 60;
        var registration = Assert.IsType<ModelRegistration<TModel, THyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel(model));
        var options = new LocalProcessOptions { Log = _ => { } };
        var launch = WorkerLaunch.For(registration, registration.WriteParameters(hyperparameters), options);
        if (variable is var (name, value))
            launch = launch with { Variables = new Dictionary<string, string>(launch.Variables) { [name] = value } };
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
