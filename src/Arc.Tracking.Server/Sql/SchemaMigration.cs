namespace Arc.Tracking.Server;

/// <summary>
/// One step of a store's schema: the SQL that takes a database from <see cref="Version"/> − 1 to <see cref="Version"/>.
/// A store applies the steps a database lacks, each in its own transaction together with its row in
/// <c>schema_versions</c>, so a database is always at one recorded version.
/// </summary>
/// <param name="Version">The version this step makes (1 for the first).</param>
/// <param name="Description">What it adds, as recorded in <c>schema_versions</c>.</param>
/// <param name="Sql">The statements, in the store's dialect.</param>
internal sealed record SchemaMigration(int Version, string Description, string Sql);
