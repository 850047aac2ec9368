using Arc.Sdk.Tests.Torch;
using MessagePack;
using MessagePack.Formatters;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>Targets, connecting by address, and deploying registered models from their hyperparameters.</summary>
public sealed class TargetTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InProcess_deploys_the_model_object_itself_and_disposing_frees_it()
    {
        TinyMlp? created = null;
        var deployed = await Target.InProcess.DeployAsync<ImageData, ClassData>(() => created = new TinyMlp(), Ct);
        var images = mnist.Data.Test.Inputs.Slice(0, 5);

        var inProcess = Assert.IsType<InProcessModel<ImageData, ClassData>>(deployed);
        Assert.Same(created, inProcess.Model);
        Assert.Equal("cpu", inProcess.DeviceName);
        Assert.Equal(created!.Predict(images).Scores!.Bytes.ToArray(), (await deployed.PredictAsync(images, Ct)).Scores!.Bytes.ToArray());

        await deployed.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => created.Predict(images));
        Assert.Equal("in-process", Target.InProcess.ToString());
        Assert.Equal("loopback-worker", Target.LoopbackWorker.Kind);
    }

    [Fact]
    public async Task A_factory_that_returns_null_is_reported()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => (ISupervisedModel<ImageData, ClassData>)null!, Ct));
        Assert.Contains("factory returned null", e.Message);
    }

    [Fact]
    public async Task Connecting_with_the_wrong_types_names_both_sides()
    {
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(3), cancellationToken: Ct);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => RemoteModel<ImageData, LabelData>.ConnectAsync(host.Address, host.Token, Ct));

        Assert.Contains("'rowargmax' from 'image' to 'class'", e.Message);
        Assert.Contains("to 'label' (LabelData)", e.Message);
    }

    [Fact]
    public async Task A_registered_model_deploys_typed_from_hyperparameters_or_their_wire_form()
    {
        var registration = new ModelRegistration<TinyMlp, TinyMlpHyperparameters, ImageData, ClassData>(
            "tinymlp", h => new TinyMlp(h.Hidden), new TinyMlpHyperparametersFormatter(), new TinyMlpHyperparameters(32));
        var images = mnist.Data.Test.Inputs.Slice(0, 4);

        await using (var remote = await registration.DeployAsync(Target.LoopbackWorker, new TinyMlpHyperparameters(Hidden: 8), Ct))
        {
            using var weights = new MemoryStream();
            await remote.SaveWeightsAsync(weights, Ct);
            // The weights of an 8-unit network fit an 8-unit model and not the default 32-unit one.
            using var small = new TinyMlp(hidden: 8);
            weights.Position = 0;
            small.LoadWeights(weights);
            using var large = new TinyMlp(hidden: 32);
            weights.Position = 0;
            Assert.Throws<InvalidDataException>(() => large.LoadWeights(weights));
            Assert.Equal(small.Predict(images).IndexSpan.ToArray(), (await remote.PredictAsync(images, Ct)).IndexSpan.ToArray());
        }

        var wire = registration.WriteParameters(new TinyMlpHyperparameters(Hidden: 16));
        await using var fromWire = await registration.DeployFromWireAsync(Target.InProcess, wire, Ct);
        var model = Assert.IsType<TinyMlp>(Assert.IsType<InProcessModel<ImageData, ClassData>>(fromWire).Model);
        Assert.Equal(16, model.Hidden);
    }

    [Fact]
    public async Task A_model_found_by_name_deploys_typed_when_its_types_match()
    {
        ClassRegistration untyped = new ModelRegistration<TinyMlp, TinyMlpHyperparameters, ImageData, ClassData>(
            "tinymlp", h => new TinyMlp(h.Hidden), new TinyMlpHyperparametersFormatter(), new TinyMlpHyperparameters(32));
        var wire = ((ModelRegistration<TinyMlp, TinyMlpHyperparameters, ImageData, ClassData>)untyped).WriteParameters(new TinyMlpHyperparameters(Hidden: 8));

        await using (var remote = await untyped.DeployFromWireAsync<IDeployedModel<ImageData, ClassData>>(Target.LoopbackWorker, wire, Ct))
            Assert.Equal("tinymlp", remote.Name);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await untyped.DeployFromWireAsync<IDeployedModel<ImageData, LabelData>>(Target.InProcess, wire, Ct));
        Assert.Contains("model 'tinymlp'", e.Message);
        Assert.Contains("cannot be deployed as IDeployedModel<ImageData, LabelData>: it deploys as IDeployedModel<ImageData, ClassData>", e.Message);
        var job = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await untyped.DeployFromWireAsync<IDeployedJob<ImageData, ClassData>>(Target.InProcess, wire, Ct));
        Assert.Contains("cannot be deployed as IDeployedJob<ImageData, ClassData>", job.Message);
    }
}

/// <summary>What the generator would write for <see cref="TinyMlp"/>'s hidden size (the test project runs no generator).</summary>
internal sealed record TinyMlpHyperparameters(int Hidden);

internal sealed class TinyMlpHyperparametersFormatter : IMessagePackFormatter<TinyMlpHyperparameters>
{
    public void Serialize(ref MessagePackWriter writer, TinyMlpHyperparameters value, MessagePackSerializerOptions options)
    {
        writer.WriteMapHeader(1);
        writer.Write("hidden");
        writer.Write(value.Hidden);
    }

    public TinyMlpHyperparameters Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        int hidden = 32;
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            string key = reader.ReadString() ?? throw new MessagePackSerializationException("nil key");
            if (key == "hidden") hidden = reader.ReadInt32();
            else throw new MessagePackSerializationException($"unknown key '{key}'");
        }
        return new TinyMlpHyperparameters(hidden);
    }
}
