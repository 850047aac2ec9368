using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Arc.Generators;

/// <summary>
/// Option names of the generated command line: each parameter becomes <c>--kebab-case</c>, unless that clashes with a
/// standard option or with a parameter of the other kind (a model's <c>seed</c> next to a job's <c>seed</c>), which get
/// <c>--model-</c>/<c>--job-</c> prefixes, or with a same-kind parameter of another type, which gets the registered
/// name as prefix. Parameters of the same name and type on several models share one option.
/// </summary>
internal static class OptionNames
{
    /// <summary>
    /// The options Arc.CommandLine defines on every command (docs/command-line.md). Kept in step with
    /// <c>Arc.CommandLine.StandardOptions</c> by a test.
    /// </summary>
    public static readonly string[] Standard =
    [
        "job", "model", "dataset-dir", "epochs", "batch-size", "seed", "device", "threads", "target", "output-dir",
        "checkpoint-every", "resume", "time-budget", "tracking", "log-level", "profile", "outputs", "node-id", "nodes",
        "gpus-per-node", "input", "output", "split", "count", "json", "help", "version",
        "kubernetes-image", "kubernetes-namespace", "kubernetes-context", "kubeconfig",
    ];

    /// <summary>A job parameter with one of these names and a string type is the job's data folder: it is bound to <c>--dataset-dir</c>.</summary>
    private static readonly string[] DatasetDirectoryNames = ["data-directory", "data-dir", "dataset-dir", "dataset-directory", "data-root"];

    /// <summary><c>learningRate</c> → <c>learning-rate</c>; <c>max_per_digit</c> → <c>max-per-digit</c>; <c>HTTPPort</c> → <c>http-port</c>.</summary>
    public static string ToKebabCase(string name)
    {
        var text = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c == '_')
            {
                if (text.Length > 0 && text[text.Length - 1] != '-') text.Append('-');
                continue;
            }
            bool boundary = char.IsUpper(c) && i > 0 && text.Length > 0 && text[text.Length - 1] != '-'
                && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (boundary) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString().Trim('-');
    }

    /// <summary>Whether a job parameter is its data folder (bound to <c>--dataset-dir</c>).</summary>
    public static bool IsDatasetDirectory(TargetKind kind, CommandLineParameterSpec parameter)
        => kind == TargetKind.Job && parameter.TypeName is "string" or "string?" && DatasetDirectoryNames.Contains(parameter.KebabName);

    /// <summary>Assigns every parameter of every target its option name.</summary>
    public static List<(CommandLineTargetSpec Target, List<NamedParameter> Parameters)> Assign(IReadOnlyList<CommandLineTargetSpec> targets)
    {
        var kindsByName = new Dictionary<string, HashSet<TargetKind>>();
        foreach (var target in targets)
            foreach (var p in target.Parameters)
                if (!IsDatasetDirectory(target.Kind, p))
                {
                    if (!kindsByName.TryGetValue(p.KebabName, out var kinds)) kindsByName[p.KebabName] = kinds = new HashSet<TargetKind>();
                    kinds.Add(target.Kind);
                }

        // First pass: the --model-/--job- prefixes.
        var named = targets.Select(t => (Target: t, Parameters: t.Parameters.Select(p => FirstName(t.Kind, p, kindsByName)).ToList())).ToList();

        // Second pass: one option name must have one type; same-kind parameters of different types get the registered name as prefix.
        var typesByOption = named.SelectMany(t => t.Parameters).Where(p => p.OptionName != "--dataset-dir")
            .GroupBy(p => p.OptionName).Where(g => g.Select(p => p.Parameter.TypeName).Distinct().Count() > 1)
            .Select(g => g.Key).ToList();
        if (typesByOption.Count == 0)
            return named;
        return named.Select(t => (t.Target, t.Parameters.Select(p => typesByOption.Contains(p.OptionName)
            ? new NamedParameter(p.Parameter, "--" + t.Target.RegisteredName.ToLowerInvariant() + "-" + p.Parameter.KebabName,
                $"named after {t.Target.RegisteredName}: {p.OptionName} has another type in another {KindWord(t.Target.Kind)}")
            : p).ToList())).ToList();
    }

    private static NamedParameter FirstName(TargetKind kind, CommandLineParameterSpec p, Dictionary<string, HashSet<TargetKind>> kindsByName)
    {
        if (IsDatasetDirectory(kind, p))
            return new NamedParameter(p, "--dataset-dir", "the standard --dataset-dir");
        string word = KindWord(kind);
        if (Standard.Contains(p.KebabName))
            return new NamedParameter(p, $"--{word}-{p.KebabName}", $"--{p.KebabName} is a standard option");
        if (kindsByName[p.KebabName].Count > 1)
            return new NamedParameter(p, $"--{word}-{p.KebabName}", $"a {(kind == TargetKind.Model ? "job" : "model")} also has a parameter '{p.KebabName}'");
        return new NamedParameter(p, "--" + p.KebabName, null);
    }

    private static string KindWord(TargetKind kind) => kind == TargetKind.Model ? "model" : "job";
}
