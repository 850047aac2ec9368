using Arc.Kubernetes;

namespace Arc.Sdk;

/// <summary>The Kubernetes workloads of registered things: what <see cref="Target.Kubernetes"/> asks the cluster to run.</summary>
internal static class KubernetesWorkloads
{
    /// <summary>A worker serving the registered model <paramref name="registration"/> created from <paramref name="parametersWire"/>.</summary>
    /// <param name="registration">The model's registration.</param>
    /// <param name="parametersWire">Its hyperparameters in their wire form.</param>
    /// <param name="options">The target's options (the assembly file name comes from there, else from the model class).</param>
    /// <param name="deploymentId">The deployment id; null: a fresh random one.</param>
    public static KubernetesWorkload ForModel(ClassRegistration registration, byte[] parametersWire, KubernetesTargetOptions options,
        string? deploymentId = null)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(parametersWire);
        ArgumentNullException.ThrowIfNull(options);
        string assembly = options.ModelAssemblyFileName ?? Path.GetFileName(registration.Type.Assembly.Location);
        if (string.IsNullOrEmpty(assembly))
            throw new InvalidOperationException(
                $"{registration} comes from an assembly without a file; set KubernetesTargetOptions.ModelAssemblyFileName");
        return new(registration.Name, deploymentId ?? KubernetesWorkload.NewDeploymentId(), assembly, WorkerLaunch.VariablesFor(registration.Kind, registration.Name, parametersWire));
    }
}
