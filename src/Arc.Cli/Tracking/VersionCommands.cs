using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Arc.Tracking;

namespace Arc.Cli;

/// <summary><c>arc versions list|show|label</c>: the versions of a registered model and their labels.</summary>
internal static class VersionCommands
{
    public static Command Build()
    {
        var command = new Command("versions", "List and show model versions; set and remove their labels");
        command.Add(List());
        command.Add(Show());
        command.Add(Label());
        return command;
    }

    private static Argument<string> ModelArgument() => new("model") { Description = ObjectRefs.Help + " of the model" };

    private static Argument<int> VersionArgument() => new("version") { Description = "The version number (1, 2, ...)" };

    private static Command List()
    {
        var model = ModelArgument();
        var command = new Command("list", "List a model's versions by number") { model };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var found = await ObjectRefs.ModelAsync(context.Store, context.Parse.GetRequiredValue(model), cancellationToken).ConfigureAwait(false);
            var versions = await context.Store.ListModelVersionsAsync(found.Id, cancellationToken).ConfigureAwait(false);
            if (context.Output.Json)
            {
                context.Output.WriteJson(new JsonArray(versions.Select(v => (JsonNode?)VersionJson(v)).ToArray()));
                return;
            }
            context.Output.WriteTable(["VERSION", "ID", "ARTIFACT", "EXPERIMENT", "LABELS", "CREATED"],
                versions.Select(v => (IReadOnlyList<string>)
                [
                    v.Version.ToString(CultureInfo.InvariantCulture), v.Id, v.ArtifactReference ?? "", v.Lineage.ExperimentId ?? "",
                    string.Join(", ", v.Labels.Select(l => $"{l.Key}={l.Value}")), Output.Time(v.CreatedAt),
                ]));
        });
        return command;
    }

    private static Command Show()
    {
        var model = ModelArgument();
        var version = VersionArgument();
        var command = new Command("show", "Show one version: lineage, metrics, labels and files") { model, version };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var found = await FindAsync(context, context.Parse.GetRequiredValue(model), context.Parse.GetRequiredValue(version), cancellationToken).ConfigureAwait(false);
            if (context.Output.Json)
            {
                context.Output.WriteJson(VersionJson(found));
                return;
            }
            var lineage = found.Lineage;
            context.Output.WriteFields(
            [
                ("id", found.Id), ("model", found.ModelId), ("namespace", found.Namespace),
                ("version", found.Version.ToString(CultureInfo.InvariantCulture)), ("artifact", found.ArtifactReference ?? ""),
                ("created", Output.Time(found.CreatedAt)), ("experiment", lineage.ExperimentId ?? ""), ("job", lineage.Job ?? ""),
                ("dataset", lineage.Dataset is { } d ? $"{d.Name} {d.Version}{(d.Hash is null ? "" : " " + d.Hash)}" : ""),
                ("parent", lineage.ParentVersionId ?? ""),
            ]);
            context.Output.WriteLine("");
            context.Output.WriteLine("metrics:");
            context.Output.WriteTable(["KEY", "VALUE"], found.Metrics.Select(m => (IReadOnlyList<string>)[m.Key, Output.Number(m.Value)]));
            context.Output.WriteLine("labels:");
            context.Output.WriteTable(["KEY", "VALUE"], found.Labels.Select(l => (IReadOnlyList<string>)[l.Key, l.Value]));
            context.Output.WriteLine("files:");
            context.Output.WriteTable(["NAME", "SIZE", "SHA256"],
                found.Files.Select(f => (IReadOnlyList<string>)[f.Name, f.Size.ToString(CultureInfo.InvariantCulture), f.Sha256]));
        });
        return command;
    }

    private static Command Label()
    {
        var model = ModelArgument();
        var version = VersionArgument();
        var labels = new Argument<string[]>("labels") { Description = "Labels to set, key=value", Arity = ArgumentArity.ZeroOrMore };
        var remove = new Option<string[]>("--remove") { Description = "A label key to remove (repeatable)", HelpName = "key" };
        var command = new Command("label", "Set labels (key=value) on a version, or remove them (--remove key)") { model, version, labels, remove };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var set = KeyValueArguments.Read(context.Parse.GetValue(labels), "label");
            var removed = context.Parse.GetValue(remove) ?? [];
            if (set.Count == 0 && removed.Length == 0)
                throw new CliException("name a label to set (key=value) or to remove (--remove key)", ExitCodes.Usage);
            if (removed.FirstOrDefault(set.ContainsKey) is { } both)
                throw new CliException($"label '{both}' is both set and removed", ExitCodes.Usage);
            var found = await FindAsync(context, context.Parse.GetRequiredValue(model), context.Parse.GetRequiredValue(version), cancellationToken).ConfigureAwait(false);
            var target = LabelTarget.ModelVersion(found.Id);
            foreach (var (key, value) in set) await context.Store.SetLabelAsync(target, key, value, cancellationToken).ConfigureAwait(false);
            foreach (var key in removed) await context.Store.RemoveLabelAsync(target, key, cancellationToken).ConfigureAwait(false);
            var after = await context.Store.GetModelVersionAsync(found.Id, cancellationToken).ConfigureAwait(false);
            if (context.Output.Json) context.Output.WriteJson(VersionJson(after));
            else context.Output.WriteLine($"version {after.Version} labels: {string.Join(", ", after.Labels.Select(l => $"{l.Key}={l.Value}"))}");
        });
        return command;
    }

    private static async Task<ModelVersion> FindAsync(CommandContext context, string model, int number, CancellationToken cancellationToken)
    {
        var found = await ObjectRefs.ModelAsync(context.Store, model, cancellationToken).ConfigureAwait(false);
        return await context.Store.FindModelVersionAsync(found.Id, number, cancellationToken).ConfigureAwait(false)
            ?? throw new CliException($"model {found.Namespace}/{found.Name} has no version {number}", ExitCodes.NotFound);
    }

    /// <summary>A version as <c>--json</c> writes it.</summary>
    public static JsonObject VersionJson(ModelVersion v)
    {
        var metrics = new JsonObject();
        foreach (var (key, value) in v.Metrics) metrics[key] = Output.JsonDouble(value);
        var labels = new JsonObject();
        foreach (var (key, value) in v.Labels) labels[key] = value;
        var lineage = v.Lineage;
        return new JsonObject
        {
            ["id"] = v.Id,
            ["modelId"] = v.ModelId,
            ["namespace"] = v.Namespace,
            ["version"] = v.Version,
            ["artifactReference"] = v.ArtifactReference,
            ["createdAt"] = Output.JsonTime(v.CreatedAt),
            ["lineage"] = new JsonObject
            {
                ["experimentId"] = lineage.ExperimentId,
                ["job"] = lineage.Job,
                ["dataset"] = lineage.Dataset is { } d ? new JsonObject { ["name"] = d.Name, ["version"] = d.Version, ["hash"] = d.Hash } : null,
                ["parentVersionId"] = lineage.ParentVersionId,
            },
            ["metrics"] = metrics,
            ["labels"] = labels,
            ["files"] = new JsonArray(v.Files.Select(f => (JsonNode?)new JsonObject { ["name"] = f.Name, ["sha256"] = f.Sha256, ["size"] = f.Size }).ToArray()),
        };
    }
}
