using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Directory.Members;

/// <summary>
/// The store's bulk path: many members written at once, row for row as <see cref="MemberDirectory.CreateAsync"/>
/// writes them (the same canonical resource, columns, search document and member_values), hundreds of
/// rows a statement and thousands a transaction. It is for loading a directory that exists elsewhere
/// (an export, the benchmarks' seeded enterprises), not for provisioning: nobody's IdP sent these, so
/// no provisioning log entry or event is written for them, and a userName already taken fails the
/// batch it is in (earlier batches stay: each is whole or absent).
/// </summary>
public sealed class MemberBulkLoad(RosterDatabase database, TimeProvider clock)
{
    /// <summary>Rows a statement on PostgreSQL (a round trip each): 19 parameters a row, under its 65,535.
    /// SQLite has no round trip to save, and binds parameters by name through a list (quadratic in a long
    /// statement): there one prepared single-row statement is reused for every row.</summary>
    const int RowsPerStatement = 500;

    const string MemberColumnList = "id, enterprise_id, user_name, user_name_key, external_id, display_name, display_name_key, given_name, family_name, " +
                                    "email, email_key, active, source, resource, search, version, created_at, last_modified, deactivated_at";

    /// <summary>Writes <paramref name="resources"/> (SCIM Users as an IdP would POST them) as members of
    /// the enterprise, <paramref name="perTransaction"/> a transaction. Returns the ids, in order.</summary>
    /// <exception cref="Roster.Scim.Errors.ScimException">A resource is not a valid User.</exception>
    public async Task<IReadOnlyList<string>> LoadAsync(Enterprise enterprise, ResourceTypeDefinition type, IEnumerable<JsonObject> resources,
        int perTransaction = 5_000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perTransaction, 1);
        var ids = new List<string>();
        var batch = new List<(string Id, JsonObject Resource, MemberColumns Columns)>(perTransaction);
        foreach (var body in resources)
        {
            var resource = ResourceNormalizer.NormalizeRequestBody(body, type);
            var columns = MemberColumns.From(resource, type);
            resource["active"] = columns.Active;
            batch.Add((Identifiers.NewId(), resource, columns));
            if (batch.Count == perTransaction) await WriteAsync(enterprise, batch, ids, cancellationToken);
        }
        if (batch.Count > 0) await WriteAsync(enterprise, batch, ids, cancellationToken);
        return ids;
    }

    async Task WriteAsync(Enterprise enterprise, List<(string Id, JsonObject Resource, MemberColumns Columns)> batch, List<string> ids,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToDb();
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            if (database.Dialect is SqliteDialect)
            {
                await InsertOneByOneAsync(connection, transaction, enterprise, batch, now, cancellationToken);
                return;
            }
            foreach (var rows in batch.Chunk(RowsPerStatement))
            {
                await InsertMembersAsync(connection, transaction, enterprise, rows, now, cancellationToken);
                await InsertValuesAsync(connection, transaction, enterprise, rows, cancellationToken);
            }
        }, cancellationToken);
        ids.AddRange(batch.Select(row => row.Id));
        batch.Clear();
    }

    async Task InsertOneByOneAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise,
        List<(string Id, JsonObject Resource, MemberColumns Columns)> rows, long now, CancellationToken cancellationToken)
    {
        var member = connection.Command($"INSERT INTO members ({MemberColumnList}) VALUES " +
                                        "(@id, @e, @un, @unk, @ext, @dn, @dnk, @gn, @fn, @em, @emk, @a, @source, @r, @s, 1, @now, @now, @d)", transaction)
            .With("@e", enterprise.Id).With("@source", MemberDirectory.SourceScim).With("@now", now);
        string[] names = ["@id", "@un", "@unk", "@ext", "@dn", "@dnk", "@gn", "@fn", "@em", "@emk", "@a", "@r", "@s", "@d"];
        foreach (var name in names) member.With(name, null);
        member.Prepare();
        var value = connection.Command("INSERT INTO member_values (member_id, enterprise_id, attribute, type, value) VALUES (@m, @e, @a, @t, @v)", transaction)
            .With("@e", enterprise.Id).With("@m", null).With("@a", null).With("@t", null).With("@v", null);
        value.Prepare();
        foreach (var (id, resource, c) in rows)
        {
            object?[] values =
            [
                id, c.UserName, c.UserNameKey, c.ExternalId, c.DisplayName, c.DisplayNameKey, c.GivenName, c.FamilyName, c.Email, c.EmailKey, c.Active,
                resource.ToJsonString(), c.Search.ToJsonString(), c.Active ? null : now,
            ];
            for (var i = 0; i < names.Length; i++) member.Parameters[names[i]].Value = values[i] ?? DBNull.Value;
            await member.ExecuteNonQueryAsync(cancellationToken);
            foreach (var v in c.Values)
            {
                value.Parameters["@m"].Value = id;
                value.Parameters["@a"].Value = v.Attribute;
                value.Parameters["@t"].Value = (object?)v.Type ?? DBNull.Value;
                value.Parameters["@v"].Value = v.Value;
                await value.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    Task<int> InsertMembersAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise,
        (string Id, JsonObject Resource, MemberColumns Columns)[] rows, long now, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"INSERT INTO members ({MemberColumnList}) VALUES ");
        var command = connection.Command("", transaction).With("@e", enterprise.Id).With("@source", MemberDirectory.SourceScim).With("@now", now);
        for (var i = 0; i < rows.Length; i++)
        {
            var (id, resource, c) = rows[i];
            if (i > 0) sql.Append(',');
            sql.Append($"(@id{i}, @e, @un{i}, @unk{i}, @ext{i}, @dn{i}, @dnk{i}, @gn{i}, @fn{i}, @em{i}, @emk{i}, @a{i}, @source, @r{i}, @s{i}, 1, @now, @now, @d{i})");
            command.With($"@id{i}", id).With($"@un{i}", c.UserName).With($"@unk{i}", c.UserNameKey).With($"@ext{i}", c.ExternalId)
                .With($"@dn{i}", c.DisplayName).With($"@dnk{i}", c.DisplayNameKey).With($"@gn{i}", c.GivenName).With($"@fn{i}", c.FamilyName)
                .With($"@em{i}", c.Email).With($"@emk{i}", c.EmailKey).With($"@a{i}", c.Active)
                .With(database.Dialect.JsonParameter($"@r{i}", resource.ToJsonString()))
                .With(database.Dialect.JsonParameter($"@s{i}", c.Search.ToJsonString()))
                .With($"@d{i}", c.Active ? null : now);
        }
        command.CommandText = sql.ToString();
        return command.ExecuteAsync(cancellationToken);
    }

    static async Task InsertValuesAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise,
        (string Id, JsonObject Resource, MemberColumns Columns)[] rows, CancellationToken cancellationToken)
    {
        var values = rows.SelectMany(row => row.Columns.Values.Select(value => (row.Id, value))).ToList();
        // Four parameters a row: 2,000 rows a statement stays under both databases' limits.
        foreach (var chunk in values.Chunk(2_000))
        {
            var sql = new StringBuilder("INSERT INTO member_values (member_id, enterprise_id, attribute, type, value) VALUES ");
            var command = connection.Command("", transaction).With("@e", enterprise.Id);
            for (var i = 0; i < chunk.Length; i++)
            {
                var (memberId, value) = chunk[i];
                if (i > 0) sql.Append(',');
                sql.Append($"(@m{i}, @e, @a{i}, @t{i}, @v{i})");
                command.With($"@m{i}", memberId).With($"@a{i}", value.Attribute).With($"@t{i}", value.Type).With($"@v{i}", value.Value);
            }
            command.CommandText = sql.ToString();
            await command.ExecuteAsync(cancellationToken);
        }
    }
}
