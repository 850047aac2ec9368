using Arc.Types;

namespace Arc.Sdk;

public abstract partial class Target
{
    /// <summary>
    /// Develop mode: starts a registered model in a worker that hot-reloads rebuilt code (<see cref="DevelopModel{X, Y}"/>),
    /// for the generated <c>MyModel.DevelopAsync</c> and <see cref="ModelRegistration{TModel, THyperparameters, X, Y}.DevelopAsync"/>. Only a
    /// worker of its own can unload and reload code, so only <see cref="LocalProcess"/> (and <see cref="LocalProcessWith"/>)
    /// and <see cref="KubernetesDevelop"/> (a develop worker in a pod) develop; the others refuse, naming what works.
    /// </summary>
    /// <exception cref="NotSupportedException">This target does not reload code.</exception>
    internal virtual ValueTask<DevelopModel<X, Y>> DevelopRegisteredAsync<X, Y>(ClassRegistration registration,
        Func<byte[]> hyperparametersWire, CancellationToken cancellationToken)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
        => throw CannotDevelop(registration.Name);

    /// <summary>Develop mode for a registered job (<see cref="JobRegistration{TJob, TParameters, X, Y}.DevelopAsync"/>), as for a model.</summary>
    /// <exception cref="NotSupportedException">This target does not reload code.</exception>
    internal virtual ValueTask<DevelopJob<X, Y>> DevelopRegisteredJobAsync<X, Y>(ClassRegistration registration,
        Func<byte[]> parametersWire, CancellationToken cancellationToken)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
        => throw CannotDevelop(registration.Name);

    /// <summary>
    /// Develop mode for <c>[Pod]</c> methods: starts a worker that serves every pod of the assembly declaring
    /// <paramref name="pods"/> and hot-reloads it from that assembly's build folder
    /// (<see cref="DevelopPodWorker.ReloadAsync"/>, <see cref="DevelopPodWorker.Watch"/>). Runs on
    /// <see cref="LocalProcess"/> and <see cref="LocalProcessWith"/> (whose <see cref="LocalProcessOptions.ModelAssemblyPath"/>
    /// names the assembly instead); other targets throw <see cref="NotSupportedException"/> before anything starts.
    /// </summary>
    /// <param name="pods">Pods of the assembly to serve; null: the program's entry assembly.</param>
    /// <param name="cancellationToken">Cancels starting the worker.</param>
    /// <exception cref="NotSupportedException">This target does not reload code.</exception>
    /// <exception cref="ArgumentException">The pods come from more than one assembly.</exception>
    /// <exception cref="ArcReloadException">The first load failed (the worker is stopped).</exception>
    public virtual ValueTask<DevelopPodWorker> DevelopPodsAsync(IReadOnlyCollection<PodRegistration>? pods = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException(
            $"develop mode (hot reload of rebuilt code) runs on Target.LocalProcess and Target.KubernetesDevelop only, not on the {Kind} target: " +
            "develop the pods with Target.LocalProcess.DevelopPodsAsync(...) or Target.KubernetesDevelop(options).DevelopPodsAsync(...), " +
            "or run them as built here with DeployPodsAsync(...)");

    private NotSupportedException CannotDevelop(string name) => new(
        $"develop mode (hot reload of rebuilt code) runs on Target.LocalProcess and Target.KubernetesDevelop only, not on the {Kind} target: " +
        $"develop {name} with DevelopAsync(Target.LocalProcess, ...) or DevelopAsync(Target.KubernetesDevelop(options), ...), " +
        "or run it as built here with DeployAsync(target, ...)");
}
