using System.Data.Common;
using System.Globalization;
using System.Text;
using Roster.Directory.Storage;

namespace Roster.Tests.Isolation;

/// <summary>Every row of one enterprise, in every table, as text: taken before and after another
/// enterprise's requests, the two must be equal. Tables are found in the database's own catalogue, so
/// that a table added later is in the snapshot without anyone remembering to add it.</summary>
public static class DatabaseSnapshot
{
    /// <summary>Tables without an enterprise_id column, and how their rows of one enterprise are found
    /// (or why none is one enterprise's). A new such table fails the snapshot until it is named here.</summary>
    static readonly Dictionary<string, string?> TablesWithoutEnterprise = new(StringComparer.Ordinal)
    {
        ["enterprises"] = "SELECT * FROM enterprises WHERE id = @e",
        ["webhook_attempts"] = "SELECT a.* FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.enterprise_id = @e",
        ["console_password_failures"] = null, // keyed by the address and email tried, not by an enterprise
        ["console_data_protection_keys"] = null, // the deployment's antiforgery and cookie keys
        ["schema_migrations"] = null,
        ["rate_limit_counters"] = null, // keyed by token, key or enterprise id in one text; counted only under server-wide limits
    };

    public static async Task<string> TakeAsync(RosterDatabase database, string enterpriseId)
    {
        var tables = await database.ReadAsync(async c => database.Dialect.Name == "postgres"
            ? await c.Command("SELECT table_name, string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns " +
                              "WHERE table_schema = current_schema() GROUP BY table_name ORDER BY table_name")
                .ListAsync(r => (Name: r.GetString(0), Columns: r.GetString(1).Split(',')))
            : await SqliteTablesAsync(c));
        var text = new StringBuilder();
        foreach (var (name, columns) in tables)
        {
            string? query;
            if (columns.Contains("enterprise_id")) query = $"SELECT * FROM {name} WHERE enterprise_id = @e";
            else if (!TablesWithoutEnterprise.TryGetValue(name, out query))
                throw new InvalidOperationException($"Table {name} has no enterprise_id: say in DatabaseSnapshot how its rows of one enterprise are found.");
            if (query is null) continue;
            var rows = await database.ReadAsync(c => c.Command(query).With("@e", enterpriseId).ListAsync(Row));
            rows.Sort(StringComparer.Ordinal);
            text.Append("## ").Append(name).Append('\n');
            foreach (var row in rows) text.Append(row).Append('\n');
        }
        return text.ToString();
    }

    static async Task<List<(string Name, string[] Columns)>> SqliteTablesAsync(DbConnection connection)
    {
        var names = await connection.Command("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").ListAsync(r => r.GetString(0));
        var tables = new List<(string, string[])>();
        foreach (var name in names)
            tables.Add((name, (await connection.Command($"SELECT name FROM pragma_table_info('{name}')").ListAsync(r => r.GetString(0))).ToArray()));
        return tables;
    }

    /// <summary>One row on one line (line breaks inside values escaped), so that snapshots compare by line.</summary>
    static string Row(DbDataReader reader) =>
        string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i) + "=" + (reader.IsDBNull(i) ? "null"
            : Convert.ToString(reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(i), CultureInfo.InvariantCulture)!
                .Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal))));
}
