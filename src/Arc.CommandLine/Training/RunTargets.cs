using System.CommandLine;
using System.Globalization;
using Arc.Kubernetes;
using Arc.Sdk;

namespace Arc.CommandLine;

/// <summary>
/// The <see cref="Target"/> that <c>--target</c> names, with its settings: <see cref="Target.InProcess"/>,
/// <see cref="Target.LocalProcess"/> (an Arc.Worker child process; the program's folder has Arc.Worker.dll when it
/// references Arc.Worker), or <see cref="Target.Kubernetes"/> with options from the <c>--kubernetes-*</c> options and
/// the <c>ARC_KUBERNETES_*</c> variables (docs/command-line.md, "Targets").
/// </summary>
internal static class RunTargets
{
    public const string ImageVariable = "ARC_KUBERNETES_IMAGE";
    public const string NamespaceVariable = "ARC_KUBERNETES_NAMESPACE";
    public const string ContextVariable = "ARC_KUBERNETES_CONTEXT";
    public const string PortVariable = "ARC_KUBERNETES_PORT";
    public const string CpuVariable = "ARC_KUBERNETES_CPU";
    public const string MemoryVariable = "ARC_KUBERNETES_MEMORY";
    public const string AllowFromVariable = "ARC_KUBERNETES_ALLOW_FROM";
    public const string ReadyTimeoutVariable = "ARC_KUBERNETES_READY_TIMEOUT";

    /// <summary>The target <paramref name="target"/> names, built from the options and environment.</summary>
    /// <exception cref="CommandLineException">A Kubernetes setting is missing or wrong; the message names the option or variable.</exception>
    public static Target Create(RunTarget target, StandardOptions s, ParseResult result) => target switch
    {
        RunTarget.InProcess => Target.InProcess,
        RunTarget.LocalProcess => Target.LocalProcess,
        RunTarget.Kubernetes => Target.Kubernetes(KubernetesOptions(s, result)),
        _ => throw new CommandLineException($"--target: {target} is not a target; use in-process, local-process or kubernetes", ArcCommandLineApp.UsageExitCode),
    };

    /// <summary>The Kubernetes options: each from its option, else its variable; the cluster from <c>--kubeconfig</c>, else as kubectl finds it (KUBECONFIG, ~/.kube/config, in-cluster).</summary>
    internal static KubernetesTargetOptions KubernetesOptions(StandardOptions s, ParseResult result)
    {
        string image = result.GetValue(s.KubernetesImage) ?? Variable(ImageVariable)
            ?? throw new CommandLineException(
                $"--target kubernetes needs the worker image: --kubernetes-image <registry/name:tag> or {ImageVariable} (an image with Arc.Worker and this program under /app; docs/deploy-image.md)",
                ArcCommandLineApp.UsageExitCode);
        string device = result.GetValue(s.Device)!;
        int gpus = device.Trim().ToLowerInvariant() switch
        {
            "auto" or "cpu" => 0,
            "cuda" => 1,
            _ => throw new CommandLineException(
                $"--device {device} with --target kubernetes: a pod sees only the GPUs it asks for, so give cuda (one GPU for the pod), cpu or auto (none)",
                ArcCommandLineApp.UsageExitCode),
        };
        if (result.GetValue(s.Threads) is not null)
            throw new CommandLineException(
                $"--threads with --target kubernetes: the pod's torch threads follow the CPUs it is given; set those with {CpuVariable} (e.g. 4) instead",
                ArcCommandLineApp.UsageExitCode);
        var options = new KubernetesTargetOptions
        {
            Image = image,
            KubeconfigPath = result.GetValue(s.Kubeconfig),
            Namespace = result.GetValue(s.KubernetesNamespace) ?? Variable(NamespaceVariable),
            Context = result.GetValue(s.KubernetesContext) ?? Variable(ContextVariable),
            Resources = new KubernetesResources { Cpu = Variable(CpuVariable), Memory = Variable(MemoryVariable), Gpus = gpus },
            AllowedFrom = Variable(AllowFromVariable) is { } cidrs
                ? cidrs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => new KubernetesNetworkPeer { IpBlock = c }).ToList()
                : [],
        };
        if (Variable(PortVariable) is { } port)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
                throw new CommandLineException($"{PortVariable}='{port}' is not a port number (1-65535)", ArcCommandLineApp.UsageExitCode);
            options = options with { Port = number };
        }
        if (Variable(ReadyTimeoutVariable) is { } timeout)
        {
            options = options with
            {
                ReadyTimeout = ParseSeconds(timeout)
                    ?? throw new CommandLineException($"{ReadyTimeoutVariable}='{timeout}' is not a duration; give seconds, e.g. 90 or 90s, or 5m", ArcCommandLineApp.UsageExitCode),
            };
        }
        if (options.KubeconfigPath is { } kubeconfig && !File.Exists(kubeconfig))
            throw new CommandLineException($"--kubeconfig: the file {Path.GetFullPath(kubeconfig)} does not exist", ArcCommandLineApp.UsageExitCode);
        return options;
    }

    /// <summary>Checks the options now, so that a wrong one ends with usage before the run folder is written.</summary>
    public static Target Validated(RunTarget target, StandardOptions s, ParseResult result)
    {
        try
        {
            return Create(target, s, result);
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException("--target kubernetes: " + e.Message, ArcCommandLineApp.UsageExitCode);
        }
    }

    /// <summary>90, 90s or 5m; null when it is none of these or not above zero.</summary>
    private static TimeSpan? ParseSeconds(string text)
    {
        var (number, scale) = text[^1] switch
        {
            's' => (text[..^1], 1.0),
            'm' => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n > 0 && double.IsFinite(n)
            ? TimeSpan.FromSeconds(n * scale)
            : null;
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
