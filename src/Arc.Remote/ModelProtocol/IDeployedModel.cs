using Arc.Types;

namespace Arc.Remote;

/// <summary>
/// A model put somewhere by <c>Target.DeployAsync</c> (Arc.Sdk): used like any <see cref="ISupervisedModel{X, Y}"/>,
/// and disposed (<c>await using</c>) to release where it runs — the model itself in process, a worker and its
/// connection otherwise.
/// </summary>
public interface IDeployedModel<X, Y> : ISupervisedModel<X, Y>, IAsyncDisposable
    where X : IArcData<X>
    where Y : IArcData<Y>;
