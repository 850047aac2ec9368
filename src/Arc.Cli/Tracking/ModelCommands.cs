using System.CommandLine;
using System.Text.Json.Nodes;
using Arc.Tracking;

namespace Arc.Cli;

/// <summary><c>arc models create|list|show</c>.</summary>
internal static class ModelCommands
{
    public static Command Build()
    {
        var command = new Command("models", "Create, list and show registered models");
        command.Add(Create());
        command.Add(List());
        command.Add(Show());
        return command;
    }

    private static Command Create()
    {
        var space = new Option<string>("--namespace", "-n") { Description = "The namespace (created with its first model)", Required = true };
        var name = new Option<string>("--name") { Description = "The model's name, unique in the namespace", Required = true };
        var owner = new Option<string?>("--owner") { Description = "Who owns it (default: the current user)" };
        var task = new Option<string?>("--task") { Description = "What it does (classification, asr, ...)" };
        var description = new Option<string?>("--description") { Description = "A description" };
        var labels = new Option<string[]>("--label") { Description = "A label key=value (repeatable)", HelpName = "key=value" };
        var command = new Command("create", "Register a model") { space, name, owner, task, description, labels };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var draft = new RegisteredModelDraft(context.Parse.GetRequiredValue(space), context.Parse.GetRequiredValue(name),
                context.Parse.GetValue(owner) ?? Environment.UserName)
            {
                Task = context.Parse.GetValue(task) ?? "",
                Description = context.Parse.GetValue(description) ?? "",
                Labels = KeyValueArguments.Read(context.Parse.GetValue(labels), "--label"),
            };
            var model = await context.Store.CreateModelAsync(draft, cancellationToken).ConfigureAwait(false);
            if (context.Output.Json) context.Output.WriteJson(ModelJson(model));
            else context.Output.WriteLine($"created model {model.Namespace}/{model.Name} (id {model.Id})");
        });
        return command;
    }

    private static Command List()
    {
        var space = new Option<string?>("--namespace", "-n") { Description = "Only this namespace (default: all)" };
        var command = new Command("list", "List registered models, oldest first") { space };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var models = await context.Store.ListModelsAsync(context.Parse.GetValue(space), cancellationToken).ConfigureAwait(false);
            if (context.Output.Json)
            {
                context.Output.WriteJson(new JsonArray(models.Select(m => (JsonNode?)ModelJson(m)).ToArray()));
                return;
            }
            context.Output.WriteTable(["ID", "NAMESPACE", "NAME", "OWNER", "TASK", "LABELS", "CREATED"],
                models.Select(m => (IReadOnlyList<string>)
                    [m.Id, m.Namespace, m.Name, m.Owner, m.Task, string.Join(", ", m.Labels.Select(l => $"{l.Key}={l.Value}")), Output.Time(m.CreatedAt)]));
        });
        return command;
    }

    private static Command Show()
    {
        var model = new Argument<string>("model") { Description = ObjectRefs.Help };
        var command = new Command("show", "Show a registered model with its labels") { model };
        command.SetClientAction(async (context, cancellationToken) =>
        {
            var found = await ObjectRefs.ModelAsync(context.Store, context.Parse.GetRequiredValue(model), cancellationToken).ConfigureAwait(false);
            if (context.Output.Json)
            {
                context.Output.WriteJson(ModelJson(found));
                return;
            }
            context.Output.WriteFields(
            [
                ("id", found.Id), ("namespace", found.Namespace), ("name", found.Name), ("owner", found.Owner),
                ("task", found.Task), ("description", found.Description), ("created", Output.Time(found.CreatedAt)),
            ]);
            context.Output.WriteLine("");
            context.Output.WriteLine("labels:");
            context.Output.WriteTable(["KEY", "VALUE"], found.Labels.Select(l => (IReadOnlyList<string>)[l.Key, l.Value]));
        });
        return command;
    }

    /// <summary>A model as <c>--json</c> writes it.</summary>
    public static JsonObject ModelJson(RegisteredModel m)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in m.Labels) labels[key] = value;
        return new JsonObject
        {
            ["id"] = m.Id,
            ["namespace"] = m.Namespace,
            ["name"] = m.Name,
            ["owner"] = m.Owner,
            ["task"] = m.Task,
            ["description"] = m.Description,
            ["labels"] = labels,
            ["createdAt"] = Output.JsonTime(m.CreatedAt),
        };
    }
}
