namespace Arc.Kubernetes;

/// <summary>A worker pod stopped (its container exited) before it was ready; the message has its state, events and last log lines.</summary>
public sealed class KubernetesWorkerFailedException : Exception
{
    /// <summary>Creates the exception for pod <paramref name="podName"/> in <paramref name="namespace"/>.</summary>
    public KubernetesWorkerFailedException(string @namespace, string podName, string message) : base(message)
    {
        Namespace = @namespace;
        PodName = podName;
    }

    /// <summary>The pod's namespace.</summary>
    public string Namespace { get; }

    /// <summary>The pod's name.</summary>
    public string PodName { get; }
}
