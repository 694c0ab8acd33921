using System.Data.Common;

namespace Roster.Directory.Schemas;

/// <summary>
/// What an enterprise's declared schemas are at a moment, in two numbers read with the request's token
/// (no query of its own): how many, and the sum of their creation times. Declared schemas are only
/// added and removed, never edited, so any change moves one of the two; a request that finds the
/// stamp its enterprise's User type was built with reuses that type, and one of an enterprise that
/// declares none (most) reads nothing more.
/// </summary>
public sealed record DeclaredSchemaStamp(long Count, long CreatedAtSum)
{
    /// <summary>The two columns, for a query that has the enterprise as <c>e</c>.</summary>
    public const string Columns =
        "(SELECT COUNT(*) FROM declared_schemas ds WHERE ds.enterprise_id = e.id), " +
        "(SELECT COALESCE(SUM(ds.created_at), 0) FROM declared_schemas ds WHERE ds.enterprise_id = e.id)";

    public static DeclaredSchemaStamp Read(DbDataReader reader, int first) => new(reader.GetInt64(first), reader.GetInt64(first + 1));
}
