using System.Data.Common;

namespace Arc.Tracking.Server;

public abstract partial class SqlMetadataStore
{
    private const string ExperimentColumns =
        "id, namespace, name, owner, framework, status, started_us, ended_us, environment, code_commit, code_dirty";

    /// <inheritdoc/>
    public Task<IReadOnlyList<TrackingNamespace>> ListNamespacesAsync(CancellationToken cancellationToken = default)
        => ReadAsync<IReadOnlyList<TrackingNamespace>>(async context => (await context.ListAsync(
                "SELECT name, created_us FROM namespaces",
                reader => new TrackingNamespace(reader.GetString(0), UnixMicros.ToTime(reader.GetInt64(1))), cancellationToken).ConfigureAwait(false))
            .OrderBy(n => n.Name, StringComparer.Ordinal).ToList(), cancellationToken);

    /// <inheritdoc/>
    public Task<Experiment> CreateExperimentAsync(ExperimentDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return WriteAsync(async context =>
        {
            string id = NewId();
            bool newNamespace = await context.EnsureNamespaceAsync(draft.Namespace, cancellationToken).ConfigureAwait(false);
            long started = UnixMicros.From(draft.StartedAt ?? context.Now);
            await InsertUniqueAsync(context,
                $"INSERT INTO experiments ({ExperimentColumns}, created_us) VALUES (@id, @namespace, @name, @owner, @framework, @status, @started, NULL, @environment, @commit, @dirty, @now)",
                $"namespace '{draft.Namespace}' has an experiment named '{draft.Name}' already; choose another name or use that experiment",
                cancellationToken,
                ("@id", id), ("@namespace", draft.Namespace), ("@name", draft.Name), ("@owner", draft.Owner), ("@framework", draft.Framework),
                ("@status", StatusText(ExperimentStatus.Running)), ("@started", started), ("@environment", JsonMaps.Write(draft.Environment)),
                ("@commit", draft.CodeVersion?.Commit), ("@dirty", draft.CodeVersion?.Dirty), ("@now", context.NowMicros)).ConfigureAwait(false);
            foreach (var (name, value) in draft.Hyperparameters)
            {
                await context.ExecuteAsync("INSERT INTO hyperparameters (experiment_id, name, kind, value) VALUES (@experiment, @name, @kind, @value)",
                    cancellationToken, ("@experiment", id), ("@name", name), ("@kind", KindText(value.Kind)), ("@value", value.ToString())).ConfigureAwait(false);
            }
            if (newNamespace)
                await context.AppendEventAsync(TrackingEventKinds.NamespaceCreated, draft.Namespace, draft.Namespace, EventPayload.Empty, cancellationToken).ConfigureAwait(false);
            await context.AppendEventAsync(TrackingEventKinds.ExperimentCreated, id, draft.Namespace,
                new EventPayload().With("name", draft.Name).With("owner", draft.Owner).With("framework", draft.Framework).With("status", StatusText(ExperimentStatus.Running)),
                cancellationToken).ConfigureAwait(false);
            return await LoadExperimentAsync(context, id, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"experiment {id} vanished in its own transaction");
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        return ReadAsync(async context => await LoadExperimentAsync(context, experimentId, cancellationToken).ConfigureAwait(false) ?? throw ExperimentNotFound(experimentId),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Experiment?> FindExperimentAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        TrackingNames.Namespace(@namespace, nameof(@namespace));
        TrackingNames.Name(name, nameof(name), "experiment name");
        return ReadAsync(async context =>
        {
            var found = await ReadExperimentsAsync(context, "WHERE namespace = @namespace AND name = @name", cancellationToken,
                ("@namespace", @namespace), ("@name", name)).ConfigureAwait(false);
            return found.SingleOrDefault();
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Experiment>> ListExperimentsAsync(string? @namespace = null, CancellationToken cancellationToken = default)
    {
        if (@namespace is not null) TrackingNames.Namespace(@namespace, nameof(@namespace));
        return ReadAsync<IReadOnlyList<Experiment>>(context => @namespace is null
            ? ReadExperimentsAsync(context, "", cancellationToken)
            : ReadExperimentsAsync(context, "WHERE namespace = @namespace", cancellationToken, ("@namespace", @namespace)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Experiment> SetExperimentStatusAsync(string experimentId, ExperimentStatus status, DateTimeOffset? endedAt = null,
        CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        ExperimentStatusChange.Check(status, endedAt);
        return WriteAsync(async context =>
        {
            long? ended = status == ExperimentStatus.Running ? null : UnixMicros.From(endedAt ?? context.Now);
            string? @namespace = (string?)await context.ScalarAsync(
                "UPDATE experiments SET status = @status, ended_us = @ended WHERE id = @id RETURNING namespace", cancellationToken,
                ("@status", StatusText(status)), ("@ended", ended), ("@id", experimentId)).ConfigureAwait(false);
            if (@namespace is null) throw ExperimentNotFound(experimentId);
            await context.AppendEventAsync(TrackingEventKinds.ExperimentStatusChanged, experimentId, @namespace,
                new EventPayload().With("status", StatusText(status)).With("ended_at", ended is null ? null : UnixMicros.ToTime(ended.Value).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)),
                cancellationToken).ConfigureAwait(false);
            return (await LoadExperimentAsync(context, experimentId, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <summary>The namespace of experiment <paramref name="experimentId"/>; <see cref="TrackingNotFoundException"/> when there is none.</summary>
    private protected static async Task<string> ExperimentNamespaceAsync(StoreContext context, string experimentId, CancellationToken cancellationToken)
        => (string?)await context.ScalarAsync("SELECT namespace FROM experiments WHERE id = @id", cancellationToken, ("@id", experimentId)).ConfigureAwait(false)
           ?? throw ExperimentNotFound(experimentId);

    private protected static TrackingNotFoundException ExperimentNotFound(string experimentId)
        => new($"experiment '{experimentId}' does not exist (experiments are named by the id the store gave them)");

    private static async Task<Experiment?> LoadExperimentAsync(StoreContext context, string id, CancellationToken cancellationToken)
        => (await ReadExperimentsAsync(context, "WHERE id = @id", cancellationToken, ("@id", id)).ConfigureAwait(false)).SingleOrDefault();

    // Experiments with their hyperparameters: one query for the rows, one for all their hyperparameters.
    private static async Task<IReadOnlyList<Experiment>> ReadExperimentsAsync(StoreContext context, string where, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        var rows = await context.ListAsync($"SELECT {ExperimentColumns} FROM experiments {where} ORDER BY created_us, id", ReadExperiment, cancellationToken, parameters).ConfigureAwait(false);
        if (rows.Count == 0) return rows;
        var hyperparameters = await context.ListAsync(
            $"SELECT experiment_id, name, kind, value FROM hyperparameters WHERE experiment_id IN (SELECT id FROM experiments {where})",
            reader => (Experiment: reader.GetString(0), Name: reader.GetString(1), Value: HyperparameterValue.Parse(ParseKind(reader.GetString(2)), reader.GetString(3))),
            cancellationToken, parameters).ConfigureAwait(false);
        var byExperiment = hyperparameters.ToLookup(h => h.Experiment, StringComparer.Ordinal);
        return rows.Select(row => row with { Hyperparameters = byExperiment[row.Id].ToDictionary(h => h.Name, h => h.Value, StringComparer.Ordinal) }).ToList();
    }

    private static Experiment ReadExperiment(DbDataReader reader)
    {
        string? commit = DbCommands.ReadNullableString(reader, 9);
        return new Experiment(
            Id: reader.GetString(0),
            Namespace: reader.GetString(1),
            Name: reader.GetString(2),
            Owner: reader.GetString(3),
            Framework: reader.GetString(4),
            Status: ParseStatus(reader.GetString(5)),
            StartedAt: UnixMicros.ToTime(reader.GetInt64(6)),
            EndedAt: reader.IsDBNull(7) ? null : UnixMicros.ToTime(reader.GetInt64(7)),
            CodeVersion: commit is null ? null : new CodeVersion(commit, reader.GetBoolean(10)))
        {
            Environment = JsonMaps.ReadStrings(reader.GetString(8)),
        };
    }

    private static string StatusText(ExperimentStatus status) => status switch
    {
        ExperimentStatus.Running => "running",
        ExperimentStatus.Finished => "finished",
        ExperimentStatus.Failed => "failed",
        ExperimentStatus.Killed => "killed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static ExperimentStatus ParseStatus(string text) => text switch
    {
        "running" => ExperimentStatus.Running,
        "finished" => ExperimentStatus.Finished,
        "failed" => ExperimentStatus.Failed,
        "killed" => ExperimentStatus.Killed,
        _ => throw new InvalidDataException($"stored experiment status '{text}' is not one this Arc knows"),
    };

    private static string KindText(HyperparameterKind kind) => kind switch
    {
        HyperparameterKind.String => "string",
        HyperparameterKind.Long => "long",
        HyperparameterKind.Double => "double",
        HyperparameterKind.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static HyperparameterKind ParseKind(string text) => text switch
    {
        "string" => HyperparameterKind.String,
        "long" => HyperparameterKind.Long,
        "double" => HyperparameterKind.Double,
        "bool" => HyperparameterKind.Bool,
        _ => throw new InvalidDataException($"stored hyperparameter kind '{text}' is not one this Arc knows"),
    };
}
