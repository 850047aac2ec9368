using System.Security.Cryptography;

namespace Arc.Kubernetes;

/// <summary>
/// One worker to run in a cluster: what it serves (its <c>ARC_WORKER_*</c> variables, as for a local worker process),
/// the user's assembly file in the image, and the deployment id that names and labels everything created for it.
/// <see cref="KubernetesManifests"/> turns it into a Pod and Service (serving) or a Job (batch). The SDK makes one
/// from a model's or job's registration, or from pods (<c>KubernetesWorkloads.ForModel</c>, <c>ForJob</c>, <c>ForPods</c>
/// in Arc.Sdk).
/// </summary>
/// <param name="Name">The served thing's name (the <c>arc.dev/model</c> label and part of the object names): a model's registered name, <c>job-{name}</c>, <c>pods-{assembly}</c>.</param>
/// <param name="DeploymentId">A short lower-case id unique to this deployment (<c>arc.dev/deployment</c>).</param>
/// <param name="AssemblyFileName">The user's assembly file inside the image's app folder.</param>
/// <param name="Variables">The variables that say what to serve, e.g. <c>ARC_WORKER_MODEL</c>.</param>
public sealed record KubernetesWorkload(string Name, string DeploymentId, string AssemblyFileName, IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>10 random lower-case hex digits: short enough for object names, enough to never collide in a namespace.</summary>
    public static string NewDeploymentId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
}
