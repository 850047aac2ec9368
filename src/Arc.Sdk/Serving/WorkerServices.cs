using Arc.Hosting;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Turns user objects into what an <see cref="ArcWorkerHost"/> serves:
/// <c>await using var host = await ArcWorkerHost.StartAsync(WorkerServices.Model(model))</c>. A model or job is owned by
/// the host from then on (disposed after it stops); registered pods are not disposable.
/// </summary>
public static class WorkerServices
{
    /// <summary><paramref name="model"/> as <c>arc.Model</c> (<see cref="SupervisedModelHandler{X, Y}"/>); the host disposes it after it stops.</summary>
    public static WorkerService Model<X, Y>(ISupervisedModel<X, Y> model)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        var handler = new SupervisedModelHandler<X, Y>(model, ownsModel: true);
        return WorkerService.Model(handler, owned: handler);
    }

    /// <summary><paramref name="job"/> as <c>arc.Job</c> (<see cref="SupervisedJobHandler{X, Y}"/>); the host disposes it after it stops.</summary>
    public static WorkerService Job<X, Y>(ISupervisedJob<X, Y> job)
        where X : class, IArcData<X>
        where Y : class, IArcData<Y>
    {
        var handler = new SupervisedJobHandler<X, Y>(job, ownsJob: true);
        return WorkerService.Job(handler, owned: handler);
    }

    /// <summary><paramref name="pods"/> as <c>arc.Pod</c> (<see cref="PodRegistrationHandler"/>).</summary>
    /// <exception cref="ArgumentException">Two of them share a name.</exception>
    public static WorkerService Pods(IEnumerable<PodRegistration> pods) => WorkerService.Pods(new PodRegistrationHandler(pods));
}
