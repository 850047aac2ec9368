using System.CommandLine;
using System.Text.Json.Nodes;
using Arc.Tracking;

namespace Arc.Cli;

/// <summary><c>arc experiments create|list|show</c>.</summary>
internal static class ExperimentCommands
{
    public static Command Build()
    {
        var command = new Command("experiments", "Create, list and show experiments (training runs)");
        command.Add(Create());
        command.Add(List());
        command.Add(Show());
        return command;
    }

    private static Command Create()
    {
        var space = new Option<string>("--namespace", "-n") { Description = "The namespace (created with its first experiment)", Required = true };
        var name = new Option<string>("--name") { Description = "The experiment's name, unique in the namespace", Required = true };
        var owner = new Option<string?>("--owner") { Description = "Who runs it (default: the current user)" };
        var framework = new Option<string?>("--framework") { Description = "The framework that trains (torchsharp, pytorch, ...)" };
        var parameters = new Option<string[]>("--param")
        {
            Description = "A hyperparameter key=value (repeatable); true/false, integers and numbers keep their type",
            HelpName = "key=value",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("create", "Create an experiment (status Running)") { space, name, owner, framework, parameters };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var draft = new ExperimentDraft(context.Parse.GetRequiredValue(space), context.Parse.GetRequiredValue(name),
                context.Parse.GetValue(owner) ?? Environment.UserName)
            {
                Framework = context.Parse.GetValue(framework) ?? "",
                Hyperparameters = KeyValueArguments.Read(context.Parse.GetValue(parameters), "--param")
                    .ToDictionary(p => p.Key, p => KeyValueArguments.Hyperparameter(p.Value), StringComparer.Ordinal),
            };
            var experiment = await context.Store.CreateExperimentAsync(draft, cancellationToken).ConfigureAwait(false);
            if (context.Output.Json) context.Output.WriteJson(ExperimentJson(experiment, latest: null));
            else context.Output.WriteLine($"created experiment {experiment.Namespace}/{experiment.Name} (id {experiment.Id})");
        });
        return command;
    }

    private static Command List()
    {
        var space = new Option<string?>("--namespace", "-n") { Description = "Only this namespace (default: all)" };
        var command = new Command("list", "List experiments, oldest first") { space };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var experiments = await context.Store.ListExperimentsAsync(context.Parse.GetValue(space), cancellationToken).ConfigureAwait(false);
            if (context.Output.Json)
            {
                context.Output.WriteJson(new JsonArray(experiments.Select(e => ExperimentJson(e, latest: null)).ToArray<JsonNode?>()));
                return;
            }
            context.Output.WriteTable(["ID", "NAMESPACE", "NAME", "OWNER", "FRAMEWORK", "STATUS", "STARTED", "ENDED"],
                experiments.Select(e => (IReadOnlyList<string>)
                    [e.Id, e.Namespace, e.Name, e.Owner, e.Framework, e.Status.ToString(), Output.Time(e.StartedAt), Output.Time(e.EndedAt)]));
        });
        return command;
    }

    private static Command Show()
    {
        var experiment = new Argument<string>("experiment") { Description = ObjectRefs.Help };
        var command = new Command("show", "Show an experiment: fields, hyperparameters, environment and the latest value of each metric") { experiment };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var found = await ObjectRefs.ExperimentAsync(context.Store, context.Parse.GetRequiredValue(experiment), cancellationToken).ConfigureAwait(false);
            var latest = await context.Store.ReadLatestMetricsAsync(found.Id, cancellationToken).ConfigureAwait(false);
            if (context.Output.Json)
            {
                context.Output.WriteJson(ExperimentJson(found, latest));
                return;
            }
            context.Output.WriteFields(
            [
                ("id", found.Id), ("namespace", found.Namespace), ("name", found.Name), ("owner", found.Owner),
                ("framework", found.Framework), ("status", found.Status.ToString()),
                ("started", Output.Time(found.StartedAt)), ("ended", Output.Time(found.EndedAt)),
                ("code", found.CodeVersion is { } code ? code.Commit + (code.Dirty ? " (dirty)" : "") : ""),
            ]);
            context.Output.WriteLine("");
            context.Output.WriteLine("hyperparameters:");
            context.Output.WriteTable(["NAME", "TYPE", "VALUE"],
                found.Hyperparameters.Select(p => (IReadOnlyList<string>)[p.Key, p.Value.Kind.ToString().ToLowerInvariant(), p.Value.ToString()]));
            context.Output.WriteLine("latest metrics:");
            context.Output.WriteTable(["KEY", "STEP", "VALUE", "TIME"],
                latest.Select(p => (IReadOnlyList<string>)[p.Key, p.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), Output.Number(p.Value), Output.Time(p.WallTime)]));
            if (found.Environment.Count > 0)
            {
                context.Output.WriteLine("environment:");
                context.Output.WriteTable(["KEY", "VALUE"], found.Environment.Select(p => (IReadOnlyList<string>)[p.Key, p.Value]));
            }
        });
        return command;
    }

    /// <summary>An experiment as <c>--json</c> writes it; <paramref name="latest"/> adds <c>latestMetrics</c>.</summary>
    public static JsonObject ExperimentJson(Experiment e, IReadOnlyList<MetricPoint>? latest)
    {
        var hyperparameters = new JsonObject();
        foreach (var (key, value) in e.Hyperparameters)
            hyperparameters[key] = value.Kind switch
            {
                HyperparameterKind.Long => JsonValue.Create(value.AsLong()),
                HyperparameterKind.Double => Output.JsonDouble(value.AsDouble()),
                HyperparameterKind.Bool => JsonValue.Create(value.AsBool()),
                _ => JsonValue.Create(value.AsString()),
            };
        var environment = new JsonObject();
        foreach (var (key, value) in e.Environment) environment[key] = value;
        var json = new JsonObject
        {
            ["id"] = e.Id,
            ["namespace"] = e.Namespace,
            ["name"] = e.Name,
            ["owner"] = e.Owner,
            ["framework"] = e.Framework,
            ["status"] = e.Status.ToString(),
            ["startedAt"] = Output.JsonTime(e.StartedAt),
            ["endedAt"] = Output.JsonTime(e.EndedAt),
            ["codeVersion"] = e.CodeVersion is { } code ? new JsonObject { ["commit"] = code.Commit, ["dirty"] = code.Dirty } : null,
            ["hyperparameters"] = hyperparameters,
            ["environment"] = environment,
        };
        if (latest is not null) json["latestMetrics"] = new JsonArray(latest.Select(MetricCommands.PointJson).ToArray<JsonNode?>());
        return json;
    }
}
