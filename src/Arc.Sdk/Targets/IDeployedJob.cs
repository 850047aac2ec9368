using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// A job put somewhere by <c>Target.DeployAsync</c> (or a generated <c>MyJob.DeployAsync</c>): used like any <see cref="ISupervisedJob{X, Y}"/>
/// (stream, sample, evaluate a model wherever that model runs), and disposed (<c>await using</c>) to release where it
/// runs — the job itself in process, a worker and its connection otherwise.
/// </summary>
public interface IDeployedJob<X, Y> : ISupervisedJob<X, Y>, IAsyncDisposable
    where X : IArcData<X>
    where Y : IArcData<Y>;
