using System.Text;
using TorchSharp;
using static TorchSharp.torch;
using Arc.Types;

namespace Arc.Torch;

/// <summary>
/// Base of a TorchSharp model: holds a network (<c>torch.nn.Module</c>), its optimizer and a device, and implements
/// the training step, prediction, weight saving/loading and disposal. A subclass builds its network in its
/// constructor, hands it to <see cref="Initialize"/>, and says how data becomes tensors and back
/// (<see cref="ToInput"/>, <see cref="ToTarget"/>, <see cref="ComputeLoss"/>, <see cref="ToPrediction"/>).
/// For <see cref="ClassData"/> targets derive from <see cref="TorchClassifier{X}"/>, which supplies the last three.
/// </summary>
/// <remarks>
/// Every step runs in a <c>torch.NewDisposeScope()</c>, so the tensors a subclass creates inside these hooks are freed
/// when the step ends: memory stays flat over any number of steps without <c>using</c> on each tensor.
/// <see cref="Predict"/> runs under <c>torch.no_grad()</c> in evaluation mode; <see cref="Fit"/> switches back to
/// training mode. Weights are the module's state dict in TorchSharp's format (<c>Module.save</c>), loaded all or
/// nothing (<see cref="LoadWeights"/>).
/// </remarks>
public abstract class TorchSupervisedModel<X, Y> : SupervisedModel<X, Y>, IDeviceInfo, IOptimizerState, IStepPhaseSource, IStepCollectionSafety
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    private nn.Module<Tensor, Tensor>? _network;
    private optim.Optimizer? _optimizer;
    private bool _disposed;
    private readonly Lock _ownStepLock = new();

    /// <summary>The lock every step and weight load takes (TorchGcSafety.StepLock: this model's own, or the process's).</summary>
    private Lock StepLock => TorchGcSafety.StepLock(_ownStepLock);

    /// <summary>
    /// Resolves <paramref name="device"/> (default <see cref="ArcDevice.Auto"/>: CUDA when available, else CPU). Where the
    /// process runs a TorchSharp without Arc's build fix, the first model also switches the process to non-concurrent
    /// garbage collection, which TorchSharp 0.107 then needs to train reliably (see
    /// <see cref="System.Runtime.GCLatencyMode.Batch"/> and the note in TorchGcSafety.cs).
    /// </summary>
    protected TorchSupervisedModel(ArcDevice device = default)
    {
        TorchGcSafety.Apply();
        Device = device.Resolve();
    }

    /// <summary>
    /// Whether a collection started by another thread during a step is harmless: true where this process's TorchSharp.dll
    /// is the copy Arc's build marked (every method that calls libtorch keeps its arguments alive to the end of the call),
    /// false for an unmarked TorchSharp 0.107, whose native calls can read a Scalar the collection freed. A worker decodes
    /// the next batch of a fit stream during a fit only when this is true.
    /// </summary>
    public bool ToleratesCollectionsDuringSteps => TorchGcSafety.ArgumentsKeptAlive;

    /// <summary>The device the network lives on; put input tensors here.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public string DeviceName => Device.ToString();

    /// <summary>The network given to <see cref="Initialize"/>.</summary>
    protected nn.Module<Tensor, Tensor> Network
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _network ?? throw new InvalidOperationException(
                $"{GetType().Name} has no network: call Initialize(network, parameters => optimizer) in its constructor");
        }
    }

    /// <summary>The optimizer created by <see cref="Initialize"/>.</summary>
    protected optim.Optimizer Optimizer
    {
        get
        {
            _ = Network; // same checks and message
            return _optimizer!;
        }
    }

    /// <summary>
    /// Adopts <paramref name="network"/> (moved to <see cref="Device"/>) and creates its optimizer from the moved
    /// parameters, e.g. <c>Initialize(net, p =&gt; torch.optim.Adam(p, lr))</c>. Call once, from the constructor.
    /// </summary>
    protected void Initialize(nn.Module<Tensor, Tensor> network, Func<IEnumerable<TorchSharp.Modules.Parameter>, optim.Optimizer> createOptimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(createOptimizer);
        if (_network is not null) throw new InvalidOperationException($"{GetType().Name} is already initialized; call Initialize once");
        network.to(Device); // before the optimizer is made, so it holds the parameters that will train
        _optimizer = createOptimizer(network.parameters())
            ?? throw new InvalidOperationException("the optimizer factory returned null");
        _network = network;
    }

    /// <summary>The input batch as a tensor on <see cref="Device"/> (created inside the step's dispose scope).</summary>
    protected abstract Tensor ToInput(X x);

    /// <summary>The targets as a tensor on <see cref="Device"/>, in the form <see cref="ComputeLoss"/> expects.</summary>
    protected abstract Tensor ToTarget(Y y);

    /// <summary>The scalar loss of the network's <paramref name="output"/> against <paramref name="target"/>.</summary>
    protected abstract Tensor ComputeLoss(Tensor output, Tensor target);

    /// <summary>Turns the network's output for a batch into predictions (copied off the device).</summary>
    protected abstract Y ToPrediction(Tensor output);

    /// <summary>One optimisation step: forward in training mode, loss, backward, optimizer step.</summary>
    public override FitResult Fit(X x, Y y)
    {
        ModelArguments.CheckPair(x, y);
        var network = Network;
        // One step of this model at a time; without Arc's TorchSharp fix, one torch step at a time in the process (another
        // model's step allocating could trigger a collection while this one is inside libtorch: TorchGcSafety).
        lock (StepLock)
            return FitStep(network, x, y);
    }

    /// <inheritdoc />
    public IStepPhaseRecorder? PhaseRecorder { get; set; }

    private FitResult FitStep(nn.Module<Tensor, Tensor> network, X x, Y y)
    {
        if (PhaseRecorder is { } recorder)
            return FitStepMeasured(network, x, y, recorder);
        using var scope = NewDisposeScope();
        network.train();
        Optimizer.zero_grad();
        var output = network.forward(ToInput(x));
        var loss = ComputeLoss(output, ToTarget(y));
        loss.backward();
        Optimizer.step();
        return new FitResult(loss.ToDouble(), x.Count);
    }

    /// <summary>The same step with its phases timed (a separate method, so the unmeasured step stays as it was).</summary>
    private FitResult FitStepMeasured(nn.Module<Tensor, Tensor> network, X x, Y y, IStepPhaseRecorder recorder)
    {
        using var scope = NewDisposeScope();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        var input = ToInput(x);
        var target = ToTarget(y);
        long copied = System.Diagnostics.Stopwatch.GetTimestamp();
        network.train();
        Optimizer.zero_grad();
        var output = network.forward(input);
        var loss = ComputeLoss(output, target);
        loss.backward();
        Optimizer.step();
        long computed = System.Diagnostics.Stopwatch.GetTimestamp();
        double value = loss.ToDouble();
        long read = System.Diagnostics.Stopwatch.GetTimestamp();
        recorder.Record(StepPhase.CopyToDevice, start, copied);
        recorder.Record(StepPhase.Compute, copied, computed);
        recorder.Record(StepPhase.ReadLoss, computed, read);
        return new FitResult(value, x.Count);
    }

    /// <summary>Predictions in evaluation mode without gradients.</summary>
    public override Y Predict(X x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var network = Network;
        lock (StepLock)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            network.eval();
            return ToPrediction(network.forward(ToInput(x)));
        }
    }

    /// <summary>Writes the network's parameters and buffers (its state dict) in TorchSharp's format.</summary>
    public override void SaveWeights(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var writer = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        Network.save(writer);
        writer.Flush();
    }

    /// <summary>
    /// Loads a state dict written by <see cref="SaveWeights"/> of a model with the same architecture, all or nothing:
    /// the whole stream is read and checked first (every parameter and buffer present once, with the model's element
    /// type and shape, and all its bytes there), and only then copied into the network, in one step under the lock
    /// that Fit and Predict take. A load that fails leaves every previous weight in place.
    /// </summary>
    /// <remarks>
    /// The copy goes into the network's existing tensors (on <see cref="Device"/>), so the optimizer keeps training the
    /// same parameters. While loading, the model briefly holds its weights three times over (the bytes read, a CPU copy, the network).
    /// </remarks>
    /// <exception cref="InvalidDataException">
    /// The stream is not such a state dict (truncated, another architecture, other shapes or element types); the
    /// message names the parameter that did not fit.
    /// </exception>
    public override void LoadWeights(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var network = Network;
        IReadOnlyList<StateDictReader.Entry> entries;
        try
        {
            entries = StateDictReader.Read(source, network.state_dict());
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"the weights do not fit {GetType().Name}: {e.Message}; nothing was loaded, the model keeps its previous weights " +
                "(weights must come from SaveWeights of the same model class with the same hyperparameters)", e);
        }
        lock (StepLock)
            CopyIn(entries);
    }

    /// <summary>Writes the optimizer's state dict (TorchSharp's format), for checkpoints that resume training exactly.</summary>
    /// <exception cref="NotSupportedException">The optimizer is not one of TorchSharp's (it has no state dict).</exception>
    public void SaveOptimizerState(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var writer = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        lock (StepLock)
            StateDictOptimizer().save_state_dict(writer);
        writer.Flush();
    }

    /// <summary>Restores a state written by <see cref="SaveOptimizerState"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an optimizer state of this model's optimizer.</exception>
    public void LoadOptimizerState(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var reader = new BinaryReader(source, Encoding.UTF8, leaveOpen: true);
        try
        {
            lock (StepLock)
                StateDictOptimizer().load_state_dict(reader);
        }
        // TorchSharp throws InvalidDataException itself for another optimizer's state: wrapped too, to name the model.
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"the optimizer state does not fit {GetType().Name}'s optimizer: {e.Message}", e);
        }
    }

    private TorchSharp.Modules.OptimizerHelper StateDictOptimizer()
        => Optimizer as TorchSharp.Modules.OptimizerHelper
            ?? throw new NotSupportedException($"{GetType().Name}'s optimizer ({Optimizer.GetType().Name}) has no state dict to save");

    /// <summary>Copies checked entries into the network; every tensor is staged on the CPU first so no copy is left half done by a failed allocation.</summary>
    private static void CopyIn(IReadOnlyList<StateDictReader.Entry> entries)
    {
        var staged = new List<Tensor>(entries.Count);
        try
        {
            foreach (var entry in entries)
            {
                var tensor = empty(entry.Target.shape, entry.Target.dtype, CPU);
                staged.Add(tensor);
                tensor.bytes = entry.Bytes;
            }
            using var noGrad = no_grad(); // parameters are leaves that require gradients; the copy is no training step
            for (int i = 0; i < entries.Count; i++)
                entries[i].Target.copy_(staged[i]);
        }
        finally
        {
            foreach (var tensor in staged) tensor.Dispose();
        }
    }

    /// <summary>Disposes the optimizer and the network (their native tensors).</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _optimizer?.Dispose();
            _network?.Dispose();
        }
        base.Dispose(disposing);
    }
}
