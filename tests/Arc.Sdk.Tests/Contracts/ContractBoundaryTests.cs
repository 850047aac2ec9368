using Grpc.Core;
using Arc.Artifacts;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;
using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Contracts;

/// <summary>
/// Contracts checked at every boundary (issue #20): real Arc.Worker child processes (<see cref="Target.LocalProcess"/>)
/// refuse a misfit after decoding and before the model with <c>InvalidArgument</c> naming both shapes; the typed client
/// refuses it before sending with the same message; in process the wrapper does the same; and a model whose contract
/// conflicts with a job's is refused before any training, whether given directly, through Trainer or by reference.
/// </summary>
public sealed class ContractBoundaryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ImageData Images(int count, int channels = 1, int size = 4, float value = 0.75f)
        => new(ArcArray.From(Enumerable.Repeat(value, count * channels * size * size).ToArray(), count, channels, size, size));

    /// <summary>A raw protocol client to the worker, which checks nothing itself: what it gets back is the worker's answer.</summary>
    private static (ArcChannel Channel, RemoteModelClient<X, Y> Client) Raw<X, Y>(IWorkerProcess worker)
        where X : class, IArcData<X> where Y : class, IArcData<Y>
    {
        var channel = new ArcChannel(worker.Endpoint, new ArcChannelOptions { Token = worker.Token });
        return (channel, new RemoteModelClient<X, Y>(channel));
    }

    /// <summary>The worker's refusal: an ArgumentException rebuilt from InvalidArgument, the status inside.</summary>
    private static async Task<ArgumentException> WorkerRefuses(Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(call);
        var status = Assert.IsType<RpcException>(refused.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        return refused;
    }

    [Fact]
    public async Task An_image_model_on_a_worker_takes_what_fits_and_refuses_other_shapes_there_and_before_sending()
    {
        await using var model = await ContractImageModel.DeployAsync(Target.LocalProcess, cancellationToken: Ct);
        var worker = Assert.IsAssignableFrom<IWorkerProcess>(model.Deployed);
        Assert.Equal(worker.Endpoint, model.WorkerEndpoint);
        Assert.Equal("127.0.0.1", model.WorkerEndpoint!.Host);

        var fits = await model.PredictAsync(Images(3), Ct);
        Assert.Equal([1L, 1L, 1L], fits.IndexSpan.ToArray());

        const string expected = "x does not fit the model's contract: expected image [N, 1, 4, 4] float32, received image [N, 3, 8, 8] float32";
        var (channel, raw) = Raw<ImageData, ClassData>(worker);
        using (channel)
        {
            var there = await WorkerRefuses(() => raw.PredictAsync(Images(2, channels: 3, size: 8), cancellationToken: Ct));
            Assert.Equal(expected, there.Message.Split(" (Parameter")[0]);
            Assert.Equal("x", there.ParamName);

            // Fit checks the targets against the model's class names, on the worker too.
            var otherNames = await WorkerRefuses(() => raw.FitAsync(Images(2), new ClassData([0L, 1L], ["cat", "dog"]), cancellationToken: Ct));
            Assert.Equal("y", otherNames.ParamName);
            Assert.StartsWith("y does not fit the model's contract: expected class names [dark, light], received class names [cat, dog]", otherNames.Message);

            // Describe carries the contract.
            var description = await raw.DescribeAsync(cancellationToken: Ct);
            Assert.Equal(ContractImageModel.Registration.Contract, description.Contract);
        }

        // The typed client refuses before sending: the same message, and no status inside (no round trip).
        var here = await Assert.ThrowsAsync<ArgumentException>(() => model.PredictAsync(Images(2, channels: 3, size: 8), Ct).AsTask());
        Assert.Null(here.InnerException);
        Assert.Equal(expected, here.Message.Split(" (Parameter")[0]);
        Assert.Equal(ContractImageModel.Registration.Contract, model.Contract);

        // The worker keeps serving.
        Assert.Equal(2, (await model.PredictAsync(Images(2, value: 0.1f), Ct)).Count);
    }

    [Fact]
    public async Task A_13_feature_table_model_refuses_a_one_column_table_and_a_forged_empty_table_as_InvalidArgument_naming_the_shapes()
    {
        await using var model = await ContractTableModel.DeployAsync(Target.LocalProcess, cancellationToken: Ct);
        var worker = Assert.IsAssignableFrom<IWorkerProcess>(model.Deployed);
        Assert.Equal(4, (await model.PredictAsync(ContractTableModel.Table(4), Ct)).Count);

        var (channel, raw) = Raw<TableData, ClassData>(worker);
        using (channel)
        {
            // The first repro: before contracts, Internal with "mat1 and mat2 shapes cannot be multiplied".
            var oneColumn = new TableData([TableColumn.FromValues("x", new float[] { 1 })]);
            var refused = await WorkerRefuses(() => raw.PredictAsync(oneColumn, cancellationToken: Ct));
            Assert.StartsWith("x does not fit the model's contract: expected table of 13 columns (f0 float32, f1 float32, ", refused.Message);
            Assert.Contains("f12 float32), received table of 1 column (x float32)", refused.Message);
            Assert.DoesNotContain("mat1", refused.Message);

            // The second: a table declaring 2,147,483,647 rows and no columns never reaches the model.
            var forged = new TableData(int.MaxValue, []);
            var empty = await WorkerRefuses(() => raw.PredictAsync(forged, cancellationToken: Ct));
            Assert.Contains("received table of 0 columns", empty.Message);
        }
        Assert.Equal(2, (await model.PredictAsync(ContractTableModel.Table(2), Ct)).Count);
    }

    [Fact]
    public async Task A_text_model_refuses_a_text_over_its_maximum_and_labels_with_other_names()
    {
        await using var model = await ContractTextModel.DeployAsync(Target.LocalProcess, cancellationToken: Ct);
        var worker = Assert.IsAssignableFrom<IWorkerProcess>(model.Deployed);
        var tags = await model.PredictAsync(new TextData("owl", "elephant"), Ct);
        Assert.Equal(["short", "vowel"], tags.NamesOf(0));
        Assert.Equal(["vowel"], tags.NamesOf(1));

        var (channel, raw) = Raw<TextData, LabelData>(worker);
        using (channel)
        {
            var tooLong = await WorkerRefuses(() => raw.PredictAsync(new TextData("ok", "hippopotamus"), cancellationToken: Ct));
            Assert.StartsWith("x does not fit the model's contract: expected text of at most 8 characters, received text of 12 characters (sample 1)", tooLong.Message);

            var labels = LabelData.FromNameSets([["a"]], ["a", "b"]);
            var otherLabels = await WorkerRefuses(() => raw.FitAsync(new TextData("ok"), labels, cancellationToken: Ct));
            Assert.StartsWith("y does not fit the model's contract: expected label names [short, vowel], received label names [a, b]", otherLabels.Message);
        }
        await Assert.ThrowsAsync<ArgumentException>(() => model.PredictAsync(new TextData("hippopotamus"), Ct).AsTask());
    }

    [Fact]
    public async Task In_process_the_wrapper_checks_unless_turned_off()
    {
        await using var model = await ContractTableModel.DeployAsync(Target.InProcess, cancellationToken: Ct);
        var oneColumn = new TableData([TableColumn.FromValues("x", new float[] { 1 })]);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => model.PredictAsync(oneColumn, Ct).AsTask());
        Assert.StartsWith("x does not fit the model's contract: expected table of 13 columns", refused.Message);

        model.ChecksContract = false;
        // Unchecked, the misfit reaches the model, which fails its own way (as libtorch did in the issue).
        var deep = await Assert.ThrowsAsync<InvalidOperationException>(() => model.PredictAsync(oneColumn, Ct).AsTask());
        Assert.StartsWith("mat1 and mat2", deep.Message);
    }

    [Fact]
    public async Task Trainer_and_TrainAsync_refuse_a_model_whose_classes_are_not_the_jobs_before_any_fit()
    {
        using var local = new ContractImageModel();
        var job = new ContractPetsJob();
        var conflict = await Assert.ThrowsAsync<DataContractConflictException>(() => new Trainer<ImageData, ClassData>().TrainAsync(job, [local], cancellationToken: Ct));
        Assert.Equal("model 'contractimagemodel' does not fit job 'contractpetsjob': y: it has class names [dark, light], the job has class names [cat, dog]", conflict.Message);
        await Assert.ThrowsAsync<DataContractConflictException>(() => job.TrainAsync(local, cancellationToken: Ct).AsTask());
        Assert.Equal(0, local.Calls);

        // The same model on a worker carries the contract its worker described.
        await using var remote = await ContractImageModel.DeployAsync(Target.LocalProcess, cancellationToken: Ct);
        await Assert.ThrowsAsync<DataContractConflictException>(() => new Trainer<ImageData, ClassData>().TrainAsync(job, [remote], cancellationToken: Ct));
    }

    [Fact]
    public async Task A_saved_model_records_its_contract_and_is_refused_for_a_job_with_other_class_names()
    {
        var root = TestScratch.Create();
        using var local = new ContractImageModel();
        var reference = await ContractImageModel.Registration.SaveAsync(local, new ContractImageModel.Hyperparameters(),
            ArtifactReference.ForLayout(Path.Combine(root.FullName, "layout")), cancellationToken: Ct);

        var config = await SavedModel.InspectAsync(reference, cancellationToken: Ct);
        Assert.Equal(ContractImageModel.Registration.Contract, DataContract.FromJson(config.Contract!.Value));

        var options = new SavedModelOptions { CacheDirectory = Path.Combine(root.FullName, "cache"), JobContract = ContractPetsJob.Registration.Contract };
        var refused = await Assert.ThrowsAsync<DataContractConflictException>(() =>
            SavedModel.ConnectAsync<ImageData, ClassData>(reference, Target.LocalProcess, options, Ct));
        Assert.Contains("y: it has class names [dark, light], the job has class names [cat, dog]", refused.Message);

        // Connected without the check, the worker's description carries the contract, and Trainer refuses it.
        await using var connected = await SavedModel.ConnectAsync<ImageData, ClassData>(reference, Target.LocalProcess,
            options with { JobContract = null }, Ct);
        Assert.Equal(ContractImageModel.Registration.Contract, DataContract.Of(connected));
        await Assert.ThrowsAsync<DataContractConflictException>(() =>
            new Trainer<ImageData, ClassData>().TrainAsync(new ContractPetsJob(), [connected], cancellationToken: Ct));
    }
}
