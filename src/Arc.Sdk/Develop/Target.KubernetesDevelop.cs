using Arc.Kubernetes;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk;

public abstract partial class Target
{
    /// <summary>
    /// Starts a develop worker for <paramref name="assemblyPath"/>'s build folder where this target develops, serving
    /// <paramref name="kind"/> <paramref name="name"/>; nothing is loaded yet. Only <see cref="KubernetesDevelop"/> starts
    /// one by assembly path this way (the local targets start theirs through <see cref="DevelopSession.StartAsync"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">This target does not reload code.</exception>
    internal virtual Task<DevelopSession> StartDevelopSessionAsync(string assemblyPath, string kind, string name, ReadOnlyMemory<byte>? parameters,
        CancellationToken cancellationToken)
        => throw CannotDevelop(name);

    private sealed partial class KubernetesTarget
    {
        internal override async ValueTask<DevelopModel<X, Y>> DevelopRegisteredAsync<X, Y>(ClassRegistration registration,
            Func<byte[]> hyperparametersWire, CancellationToken cancellationToken)
        {
            if (!develop) return await base.DevelopRegisteredAsync<X, Y>(registration, hyperparametersWire, cancellationToken).ConfigureAwait(false);
            var session = await StartDevelopSessionAsync(BuildAssemblyOf(registration), DevelopKinds.Model, registration.Name, hyperparametersWire(),
                cancellationToken).ConfigureAwait(false);
            return await DevelopModel<X, Y>.StartAsync(session, cancellationToken).ConfigureAwait(false);
        }

        internal override async ValueTask<DevelopJob<X, Y>> DevelopRegisteredJobAsync<X, Y>(ClassRegistration registration,
            Func<byte[]> parametersWire, CancellationToken cancellationToken)
        {
            if (!develop) return await base.DevelopRegisteredJobAsync<X, Y>(registration, parametersWire, cancellationToken).ConfigureAwait(false);
            var session = await StartDevelopSessionAsync(BuildAssemblyOf(registration), DevelopKinds.Job, registration.Name, parametersWire(),
                cancellationToken).ConfigureAwait(false);
            return await DevelopJob<X, Y>.StartAsync(session, cancellationToken).ConfigureAwait(false);
        }

        // The options' ModelAssemblyFileName does not apply: the build folder here is what travels, named by the pods' assembly.
        public override async ValueTask<DevelopPodWorker> DevelopPodsAsync(IReadOnlyCollection<PodRegistration>? pods = null,
            CancellationToken cancellationToken = default)
        {
            if (!develop) return await base.DevelopPodsAsync(pods, cancellationToken).ConfigureAwait(false);
            string assembly = WorkerLaunch.PodsAssembly(pods, "the pods").Location;
            if (string.IsNullOrEmpty(assembly))
                throw new InvalidOperationException("the pods come from an assembly without a file: develop mode needs its build folder");
            var session = await StartDevelopSessionAsync(assembly, DevelopKinds.Pods, Path.GetFileNameWithoutExtension(assembly), parameters: null,
                cancellationToken).ConfigureAwait(false);
            return await DevelopPodWorker.StartAsync(this, session, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Creates the develop pod (with its Service, NetworkPolicy and Secret, as any worker of this target), waits until
        /// it is ready and opens a session with it; the pod is deleted if anything fails before the session owns it.
        /// </summary>
        internal override async Task<DevelopSession> StartDevelopSessionAsync(string assemblyPath, string kind, string name, ReadOnlyMemory<byte>? parameters,
            CancellationToken cancellationToken)
        {
            if (!develop) throw CannotDevelop(name);
            string fullPath = Path.GetFullPath(assemblyPath);
            if (!File.Exists(fullPath)) throw new FileNotFoundException($"the assembly {fullPath} does not exist", fullPath);
            var worker = await StartWorkerAsync(KubernetesWorkloads.ForDevelop(kind, name, fullPath), cancellationToken).ConfigureAwait(false);
            return DevelopSession.Open(new KubernetesDevelopWorker(worker.Deployment, worker.Pod, worker.Address, worker.Credentials.ClientOptions),
                fullPath, kind, name, parameters);
        }

        /// <summary>The model's or job's assembly file here: its folder is the build folder that travels.</summary>
        private static string BuildAssemblyOf(ClassRegistration registration)
        {
            string path = registration.Type.Assembly.Location;
            return string.IsNullOrEmpty(path)
                ? throw new InvalidOperationException($"{registration} comes from an assembly without a file: develop mode needs its build folder")
                : path;
        }
    }
}
