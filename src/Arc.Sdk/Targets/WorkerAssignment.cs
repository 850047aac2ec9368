using System.Text;
using System.Text.Json;
using Arc.Remote;

namespace Arc.Sdk;

/// <summary>
/// What a standby worker is given to serve, sent as one JSON line on the pipe its owner holds (after the token): the
/// user's assembly and the variables that select what to serve. Only the selecting variables may travel this way; how
/// the worker listens, its limits and its token were fixed when it started.
/// </summary>
/// <param name="AssemblyPath">The user's assembly (<see cref="WorkerEnvironment.Assembly"/>).</param>
/// <param name="Variables">Selecting variables and their values, e.g. <see cref="WorkerEnvironment.Model"/>.</param>
internal sealed record WorkerAssignment(string AssemblyPath, IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>The variables an assignment may set.</summary>
    public static readonly IReadOnlySet<string> SelectingVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        WorkerEnvironment.Model, WorkerEnvironment.Hyperparameters, WorkerEnvironment.Job, WorkerEnvironment.Parameters, WorkerEnvironment.Pods,
    };

    /// <summary>Whether <paramref name="launch"/> can be given to a standby worker: it sets selecting variables only (not develop mode).</summary>
    public static bool Fits(WorkerLaunch launch) => launch.Variables.Keys.All(SelectingVariables.Contains);

    /// <summary>The assignment of <paramref name="launch"/>.</summary>
    public static WorkerAssignment Of(WorkerLaunch launch) => new(launch.AssemblyPath, launch.Variables);

    /// <summary>The one-line JSON form, e.g. <c>{"assembly":"/app/Models.dll","variables":{"ARC_WORKER_MODEL":"mlp"}}</c>.</summary>
    public string ToLine()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("assembly", AssemblyPath);
            json.WriteStartObject("variables");
            foreach (var (name, value) in Variables) json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads <paramref name="line"/>; an unknown member, a variable that does not select, or a missing assembly is refused.</summary>
    /// <exception cref="InvalidOperationException">The line is not an assignment; the message says what is wrong.</exception>
    public static WorkerAssignment Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            string? assembly = null;
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Refused("it is not a JSON object");
            foreach (var member in document.RootElement.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "assembly" when member.Value.ValueKind == JsonValueKind.String:
                        assembly = member.Value.GetString();
                        break;
                    case "variables" when member.Value.ValueKind == JsonValueKind.Object:
                        foreach (var variable in member.Value.EnumerateObject())
                        {
                            if (!SelectingVariables.Contains(variable.Name))
                                throw Refused($"it sets {variable.Name}; an assignment sets only {string.Join(", ", SelectingVariables.Order())}");
                            if (variable.Value.ValueKind != JsonValueKind.String) throw Refused($"{variable.Name} is not a string");
                            variables[variable.Name] = variable.Value.GetString()!;
                        }
                        break;
                    default:
                        throw Refused($"its member '{member.Name}' is not 'assembly' (a string) or 'variables' (an object)");
                }
            }
            if (string.IsNullOrEmpty(assembly)) throw Refused("it names no assembly");
            return new WorkerAssignment(assembly, variables);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"the standby worker's assignment is not JSON: {e.Message}", e);
        }
    }

    private static InvalidOperationException Refused(string why) => new($"the standby worker's assignment is refused: {why}");
}
