using System.Security.Cryptography;
using Arc.Registration;

namespace Arc.Remote;

/// <summary>
/// One worker to run in a cluster: what it serves (its <c>ARC_WORKER_*</c> variables, as for a local worker process),
/// the user's assembly file in the image, and the deployment id that names and labels everything created for it.
/// <see cref="KubernetesManifests"/> turns it into a Pod and Service (serving) or a Job (batch).
/// </summary>
/// <param name="Name">The served thing's registered name (the <c>arc.dev/model</c> label and part of the object names).</param>
/// <param name="DeploymentId">A short lower-case id unique to this deployment (<c>arc.dev/deployment</c>).</param>
/// <param name="AssemblyFileName">The user's assembly file inside the image's app folder.</param>
/// <param name="Variables">The variables that say what to serve, e.g. <c>ARC_WORKER_MODEL</c>.</param>
public sealed record KubernetesWorkload(string Name, string DeploymentId, string AssemblyFileName, IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>A worker serving the registered model <paramref name="registration"/> created from <paramref name="hyperparametersWire"/>.</summary>
    /// <param name="registration">The model's registration.</param>
    /// <param name="hyperparametersWire">Its hyperparameters in their wire form.</param>
    /// <param name="options">The target's options (the assembly file name comes from there, else from the model class).</param>
    /// <param name="deploymentId">The deployment id; null: a fresh random one.</param>
    public static KubernetesWorkload ForModel(ModelRegistration registration, byte[] hyperparametersWire, KubernetesTargetOptions options,
        string? deploymentId = null)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(hyperparametersWire);
        ArgumentNullException.ThrowIfNull(options);
        string assembly = options.ModelAssemblyFileName ?? Path.GetFileName(registration.ModelType.Assembly.Location);
        if (string.IsNullOrEmpty(assembly))
            throw new InvalidOperationException(
                $"{registration} comes from an assembly without a file; set KubernetesTargetOptions.ModelAssemblyFileName");
        return new(registration.Name, deploymentId ?? NewDeploymentId(), assembly, WorkerLaunch.ModelVariables(registration.Name, hyperparametersWire));
    }

    /// <summary>10 random lower-case hex digits: short enough for object names, enough to never collide in a namespace.</summary>
    public static string NewDeploymentId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
}
