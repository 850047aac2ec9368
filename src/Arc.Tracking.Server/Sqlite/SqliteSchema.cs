namespace Arc.Tracking.Server;

/// <summary>
/// The SQLite schema, step by step. Tables are STRICT (a value of the wrong type is an error, not a silent conversion);
/// times are microseconds since the Unix epoch; a NULL metric value is NaN (SQLite stores a NaN as NULL).
/// </summary>
internal static class SqliteSchema
{
    public static IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        new(1, "namespaces, experiments, hyperparameters, metric points and batches, checkpoints, models, versions, labels, files, events", """
            CREATE TABLE namespaces (
                name TEXT PRIMARY KEY,
                created_us INTEGER NOT NULL) STRICT;
            CREATE TABLE experiments (
                id TEXT PRIMARY KEY,
                namespace TEXT NOT NULL REFERENCES namespaces (name),
                name TEXT NOT NULL,
                owner TEXT NOT NULL,
                framework TEXT NOT NULL,
                status TEXT NOT NULL,
                started_us INTEGER NOT NULL,
                ended_us INTEGER,
                environment TEXT NOT NULL,
                code_commit TEXT,
                code_dirty INTEGER,
                created_us INTEGER NOT NULL,
                UNIQUE (namespace, name)) STRICT;
            CREATE TABLE hyperparameters (
                experiment_id TEXT NOT NULL REFERENCES experiments (id),
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (experiment_id, name)) STRICT;
            -- No foreign key on points: the batch checks its experiment once, not once per point.
            CREATE TABLE metric_points (
                id INTEGER PRIMARY KEY,
                experiment_id TEXT NOT NULL,
                key TEXT NOT NULL,
                step INTEGER NOT NULL,
                wall_us INTEGER NOT NULL,
                value REAL) STRICT;
            CREATE INDEX metric_points_series ON metric_points (experiment_id, key, step, id);
            CREATE TABLE metric_batches (
                experiment_id TEXT NOT NULL REFERENCES experiments (id),
                batch_key TEXT NOT NULL,
                digest TEXT NOT NULL,
                points INTEGER NOT NULL,
                stored_us INTEGER NOT NULL,
                PRIMARY KEY (experiment_id, batch_key)) STRICT;
            CREATE TABLE checkpoints (
                id TEXT PRIMARY KEY,
                experiment_id TEXT NOT NULL REFERENCES experiments (id),
                step INTEGER NOT NULL,
                epoch INTEGER,
                blob_sha256 TEXT NOT NULL,
                created_us INTEGER NOT NULL,
                metrics TEXT NOT NULL) STRICT;
            CREATE INDEX checkpoints_experiment ON checkpoints (experiment_id, step);
            CREATE TABLE models (
                id TEXT PRIMARY KEY,
                namespace TEXT NOT NULL REFERENCES namespaces (name),
                name TEXT NOT NULL,
                owner TEXT NOT NULL,
                task TEXT NOT NULL,
                description TEXT NOT NULL,
                created_us INTEGER NOT NULL,
                last_version INTEGER NOT NULL,
                UNIQUE (namespace, name)) STRICT;
            CREATE TABLE model_versions (
                id TEXT PRIMARY KEY,
                model_id TEXT NOT NULL REFERENCES models (id),
                version INTEGER NOT NULL,
                artifact_reference TEXT,
                experiment_id TEXT REFERENCES experiments (id),
                job TEXT,
                dataset_name TEXT,
                dataset_version TEXT,
                dataset_hash TEXT,
                parent_version_id TEXT REFERENCES model_versions (id),
                created_us INTEGER NOT NULL,
                metrics TEXT NOT NULL,
                UNIQUE (model_id, version)) STRICT;
            CREATE TABLE labels (
                object_id TEXT NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (object_id, key)) STRICT;
            CREATE TABLE files (
                owner_id TEXT NOT NULL,
                name TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                size INTEGER NOT NULL,
                attached_us INTEGER NOT NULL,
                PRIMARY KEY (owner_id, name)) STRICT;
            CREATE TABLE events (
                id INTEGER PRIMARY KEY,
                time_us INTEGER NOT NULL,
                kind TEXT NOT NULL,
                object_id TEXT NOT NULL,
                namespace TEXT NOT NULL,
                payload TEXT NOT NULL) STRICT;
            CREATE INDEX events_namespace ON events (namespace, id);
            CREATE TABLE event_counter (
                only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
                last_id INTEGER NOT NULL) STRICT;
            INSERT INTO event_counter (only_row, last_id) VALUES (1, 0);
            """),
        new(2, "metric_latest: the last logged point of every series, filled from the points already stored", """
            CREATE TABLE metric_latest (
                experiment_id TEXT NOT NULL,
                key TEXT NOT NULL,
                point_id INTEGER NOT NULL,
                step INTEGER NOT NULL,
                wall_us INTEGER NOT NULL,
                value REAL,
                PRIMARY KEY (experiment_id, key)) STRICT;
            """ + SharedSql.FillMetricLatest),
    ];
}
