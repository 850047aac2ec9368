using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>A real Kestrel worker on 127.0.0.1 and a gRPC client: each call crosses HTTP/2 and the wire form.</summary>
public sealed class RemoteRoundTripTests
{
    private const int Rows = 5, Width = 7;

    [Fact]
    public async Task Predict_returns_the_classes_the_model_computes()
    {
        var model = new RowArgmaxModel(Rows);
        await using var host = await ArcWorkerHost.StartAsync(model, cancellationToken: TestContext.Current.CancellationToken);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteModelClient<ImageData, ClassData>(channel);
        var (images, pixels) = RemoteTestData.Images(40, Rows, Width, seed: 3);

        var predicted = await client.PredictAsync(images, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(RowArgmaxModel.Expected(pixels, 40, Rows, Width, new float[Rows]), predicted.IndexSpan.ToArray());
        Assert.Equal(model.ClassNames, predicted.ClassNames);
        Assert.NotEqual(0, host.Port);
        Assert.Equal("127.0.0.1", host.Address.Host);
    }

    [Fact]
    public async Task Describe_names_the_model_and_its_types()
    {
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: TestContext.Current.CancellationToken);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var description = await new RemoteModelClient<ImageData, ClassData>(channel).DescribeAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(new ModelDescription("rowargmax", "image", "class"), description);
    }

    [Fact]
    public async Task Fit_changes_predictions_and_weights_carry_them_to_another_worker()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var trained = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: TestContext.Current.CancellationToken);
        await using var fresh = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: TestContext.Current.CancellationToken);
        using var trainedChannel = new ArcChannel(trained.Address, trained.ClientOptions);
        using var freshChannel = new ArcChannel(fresh.Address, fresh.ClientOptions);
        var a = new RemoteModelClient<ImageData, ClassData>(trainedChannel);
        var b = new RemoteModelClient<ImageData, ClassData>(freshChannel);
        var (images, pixels) = RemoteTestData.Images(30, Rows, Width, seed: 11);
        var targets = new ClassData(Enumerable.Repeat(2L, 30).ToArray(), Enumerable.Range(0, Rows).Select(r => $"row{r}").ToArray());

        var untrained = RowArgmaxModel.Expected(pixels, 30, Rows, Width, new float[Rows]);
        var first = await a.FitAsync(images, targets, cancellationToken: ct);
        Assert.Equal(30, first.Samples);
        Assert.Equal(untrained.Count(c => c != 2) / 30.0, first.Loss, 12);
        for (int epoch = 0; epoch < 10 && (await a.FitAsync(images, targets, cancellationToken: ct)).Loss > 0; epoch++) { }
        var afterFit = (await a.PredictAsync(images, cancellationToken: ct)).IndexSpan.ToArray();
        Assert.All(afterFit, c => Assert.Equal(2L, c));

        var weights = await a.SaveWeightsAsync(cancellationToken: ct);
        Assert.Equal(Rows * sizeof(float), weights.Length);
        Assert.Equal(untrained, (await b.PredictAsync(images, cancellationToken: ct)).IndexSpan.ToArray());
        await b.LoadWeightsAsync(weights, cancellationToken: ct);
        Assert.Equal(afterFit, (await b.PredictAsync(images, cancellationToken: ct)).IndexSpan.ToArray());
    }

    [Fact]
    public async Task A_model_exception_arrives_as_ArcRemoteException_with_type_message_and_stack_when_the_owner_allows_it()
    {
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), new ArcWorkerOptions { DetailedErrors = true },
            TestContext.Current.CancellationToken);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteModelClient<ImageData, ClassData>(channel);

        var error = await Assert.ThrowsAsync<ArcRemoteException>(
            () => client.LoadWeightsAsync(new byte[3], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("System.IO.InvalidDataException", error.RemoteType);
        Assert.Equal("expected 20 bytes of weights, got 3", error.RemoteMessage);
        Assert.Contains(nameof(RowArgmaxModel.LoadWeightsAsync), error.RemoteStackTrace);
        Assert.Equal("/arc.Model/LoadWeights", error.Method);
        Assert.Contains(host.Address.ToString(), error.Message);

        // The worker is unharmed.
        var (images, pixels) = RemoteTestData.Images(4, Rows, Width, seed: 1);
        Assert.Equal(RowArgmaxModel.Expected(pixels, 4, Rows, Width, new float[Rows]),
            (await client.PredictAsync(images, cancellationToken: TestContext.Current.CancellationToken)).IndexSpan.ToArray());
    }

    [Fact]
    public async Task By_default_a_model_exception_crosses_without_its_stack()
    {
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: TestContext.Current.CancellationToken);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteModelClient<ImageData, ClassData>(channel);

        var error = await Assert.ThrowsAsync<ArcRemoteException>(
            () => client.LoadWeightsAsync(new byte[3], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("System.IO.InvalidDataException", error.RemoteType);
        Assert.Equal("expected 20 bytes of weights, got 3", error.RemoteMessage);
        Assert.Equal("", error.RemoteStackTrace);
        Assert.DoesNotContain(nameof(RowArgmaxModel), error.ToString());
    }

    [Fact]
    public async Task A_stopped_worker_is_reported_as_unavailable_naming_the_endpoint()
    {
        var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: TestContext.Current.CancellationToken);
        var address = host.Address;
        await host.DisposeAsync();
        using var channel = new ArcChannel(address, host.ClientOptions);

        var error = await Assert.ThrowsAsync<ArcWorkerUnavailableException>(
            () => new RemoteModelClient<ImageData, ClassData>(channel).DescribeAsync(cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(address.ToString(), error.Endpoint);
        Assert.Contains(address.ToString(), error.Message);
    }
}
