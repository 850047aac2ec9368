namespace Arc.Tracking.Server;

/// <summary>Statements that SQLite and PostgreSQL run alike, used by both schemas and stores.</summary>
internal static class SharedSql
{
    /// <summary>Fills <c>metric_latest</c> from the points stored before it existed: per series, the point with the highest id.</summary>
    public const string FillMetricLatest = """

        INSERT INTO metric_latest (experiment_id, key, point_id, step, wall_us, value)
        SELECT p.experiment_id, p.key, p.id, p.step, p.wall_us, p.value
        FROM metric_points p
        JOIN (SELECT experiment_id, key, MAX(id) AS id FROM metric_points GROUP BY experiment_id, key) last ON last.id = p.id;
        """;

    /// <summary>
    /// Makes a point the latest of its series unless a later one (higher id) is there already — a concurrent batch that
    /// got later ids may commit first.
    /// </summary>
    public const string UpsertLatestTail = """
        ON CONFLICT (experiment_id, key) DO UPDATE SET point_id = excluded.point_id, step = excluded.step, wall_us = excluded.wall_us, value = excluded.value
        WHERE metric_latest.point_id < excluded.point_id
        """;
}
