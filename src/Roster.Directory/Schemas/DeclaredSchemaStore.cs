using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Storage;
using Roster.Scim.Discovery;
using Roster.Scim.Schema;

namespace Roster.Directory.Schemas;

/// <summary>
/// The extension schemas each enterprise declares for its Users, and the User resource type they make:
/// the core schema, the enterprise extension, then the declared schemas in the order they were added.
/// Every query names the enterprise; no enterprise sees another's schemas.
/// </summary>
/// <remarks>
/// Changes to one enterprise's schemas run one at a time (its row is locked), so that two URNs that
/// collide cannot both be added, and a removal counts the members it would affect without a new schema
/// slipping in between.
/// </remarks>
public sealed class DeclaredSchemaStore(RosterDatabase database, MemberDirectory members, TimeProvider clock)
{
    const string Columns = "enterprise_id, urn, definition, created_at";

    /// <summary>The last resource type built for each enterprise, with the definitions it was built
    /// from: a request still reads the definitions, and only parses them again when they changed.</summary>
    readonly ConcurrentDictionary<string, (string Definitions, ResourceTypeDefinition Type)> built = new();

    /// <summary>The last resource type built for each enterprise, by the stamp its declared schemas had then.</summary>
    readonly ConcurrentDictionary<string, (DeclaredSchemaStamp Stamp, ResourceTypeDefinition Type)> stamped = new();

    sealed record Row(string EnterpriseId, string Urn, string Definition, DateTimeOffset CreatedAt);

    /// <summary>Declares <paramref name="schema"/> for <paramref name="enterprise"/>'s Users, audited as
    /// <paramref name="actor"/>'s action.</summary>
    /// <exception cref="RosterException">The enterprise declares that URN already, or one that would
    /// make attribute paths ambiguous with it.</exception>
    public async Task<DeclaredSchema> AddAsync(Enterprise enterprise, SchemaDefinition schema, AuditActor? actor = null, CancellationToken cancellationToken = default)
    {
        var declared = new DeclaredSchema(enterprise.Id, schema, clock.GetUtcNow());
        try
        {
            await database.InTransactionAsync(async (connection, transaction) =>
            {
                await LockAsync(connection, transaction, enterprise, cancellationToken);
                var existing = Parse(enterprise, await ReadAsync(connection, transaction, enterprise, cancellationToken));
                if (existing.FirstOrDefault(d => string.Equals(d.Urn, schema.Id, StringComparison.OrdinalIgnoreCase)) is { } same)
                    throw AlreadyDeclared(enterprise, same.Urn);
                try
                {
                    ScimSchemas.UserResourceTypeWith(existing.Select(d => d.Definition).Append(schema));
                }
                catch (InvalidSchemaException e)
                {
                    throw new RosterException($"Enterprise '{enterprise.Slug}' cannot declare '{schema.Id}': {e.Problem}");
                }
                await connection.Command($"INSERT INTO declared_schemas ({Columns}) VALUES (@e, @urn, @definition, @created)", transaction)
                    .With("@e", enterprise.Id).With("@urn", schema.Id)
                    .With(database.Dialect.JsonParameter("@definition", SchemaResourceWriter.Write(schema).ToJsonString()))
                    .With("@created", declared.CreatedAt.ToDb())
                    .ExecuteAsync(cancellationToken);
                await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.SchemaAdded,
                    $"Schema '{schema.Id}' declared for Users", declared.CreatedAt, cancellationToken);
            }, cancellationToken);
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw AlreadyDeclared(enterprise, schema.Id);
        }
        return declared;
    }

    /// <summary>The enterprise's declared schemas, oldest first (by URN within one millisecond).</summary>
    public async Task<List<DeclaredSchema>> ListAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        Parse(enterprise, await database.ReadAsync(c => ReadAsync(c, null, enterprise, cancellationToken), cancellationToken));

    /// <summary>
    /// The User resource type of the enterprise as it is now: what every SCIM request of the enterprise
    /// reads, writes, filters and describes its Users by. Read from the database each time, so a
    /// schema declared by another process (the command line beside a running server) counts from the
    /// next request on.
    /// </summary>
    public async Task<ResourceTypeDefinition> UserResourceTypeAsync(Enterprise enterprise, CancellationToken cancellationToken = default)
        => (await BuildAsync(enterprise, cancellationToken)).Type;

    /// <summary>
    /// The same, for a request that read the enterprise's <paramref name="stamp"/> with its token: no
    /// query when the enterprise declares no schema, or when the type built last has the same stamp
    /// (another process's `roster schema add` changes the stamp, so it still counts from the next request).
    /// </summary>
    public async Task<ResourceTypeDefinition> UserResourceTypeAsync(Enterprise enterprise, DeclaredSchemaStamp? stamp, CancellationToken cancellationToken = default)
    {
        if (stamp is null) return await UserResourceTypeAsync(enterprise, cancellationToken);
        if (stamp.Count == 0) return ScimSchemas.UserResourceType;
        if (stamped.TryGetValue(enterprise.Id, out var known) && known.Stamp == stamp) return known.Type;
        var (type, current) = await BuildAsync(enterprise, cancellationToken);
        // Kept only when what was read is what the stamp describes (nothing changed in between).
        if (current == stamp) stamped[enterprise.Id] = (stamp, type);
        return type;
    }

    async Task<(ResourceTypeDefinition Type, DeclaredSchemaStamp Stamp)> BuildAsync(Enterprise enterprise, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(c => ReadAsync(c, null, enterprise, cancellationToken), cancellationToken);
        var stamp = new DeclaredSchemaStamp(rows.Count, rows.Sum(r => r.CreatedAt.ToDb()));
        if (rows.Count == 0) return (ScimSchemas.UserResourceType, stamp);
        var definitions = string.Join("\n", rows.Select(r => r.Definition));
        if (built.TryGetValue(enterprise.Id, out var cached) && cached.Definitions == definitions) return (cached.Type, stamp);
        var type = UserResourceType(enterprise, Parse(enterprise, rows));
        built[enterprise.Id] = (definitions, type);
        return (type, stamp);
    }

    /// <summary>
    /// Removes a declared schema. While live members carry values of it, the removal is refused unless
    /// <paramref name="force"/>, which removes those values from the members too, in the same
    /// transaction (a new version of each, as any change): the store never keeps values of a schema
    /// the enterprise does not declare. Deleted members keep theirs, as history.
    /// </summary>
    /// <exception cref="RosterException">No such schema, or members carry values of it and
    /// <paramref name="force"/> is false.</exception>
    public async Task<DeclaredSchema> RemoveAsync(Enterprise enterprise, string urn, bool force, AuditActor? actor = null,
        CancellationToken cancellationToken = default)
    {
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            await LockAsync(connection, transaction, enterprise, cancellationToken);
            var rows = await ReadAsync(connection, transaction, enterprise, cancellationToken);
            var row = rows.FirstOrDefault(r => string.Equals(r.Urn, urn, StringComparison.OrdinalIgnoreCase))
                ?? throw new RosterException(
                    $"Enterprise '{enterprise.Slug}' declares no schema '{urn}'. `roster schema list --enterprise {enterprise.Slug}` shows the ones it does.");
            var remaining = UserResourceType(enterprise, Parse(enterprise, rows.Where(r => r != row)));
            var carriers = await members.CountCarryingAsync(connection, transaction, enterprise, row.Urn, cancellationToken);
            if (carriers > 0 && !force)
            {
                throw new RosterException(
                    $"{carriers} member{(carriers == 1 ? "" : "s")} of '{enterprise.Slug}' carr{(carriers == 1 ? "ies" : "y")} values of '{row.Urn}'. " +
                    "Give --force to remove the schema and those values (the members keep everything else).");
            }
            if (carriers > 0) await members.RemoveExtensionAsync(connection, transaction, enterprise, remaining, row.Urn, cancellationToken);
            await connection.Command("DELETE FROM declared_schemas WHERE enterprise_id = @e AND urn = @urn", transaction)
                .With("@e", enterprise.Id).With("@urn", row.Urn).ExecuteAsync(cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.SchemaRemoved,
                $"Schema '{row.Urn}' removed" + (carriers > 0 ? $", with its values on {carriers} member{(carriers == 1 ? "" : "s")}" : ""), clock.GetUtcNow(),
                cancellationToken);
            return Parse(enterprise, [row])[0];
        }, cancellationToken);
    }

    static ResourceTypeDefinition UserResourceType(Enterprise enterprise, IEnumerable<DeclaredSchema> declared)
    {
        try
        {
            return ScimSchemas.UserResourceTypeWith(declared.Select(d => d.Definition));
        }
        catch (InvalidSchemaException e)
        {
            // Only a schema added before a rule was tightened gets here: say which, and how to fix it.
            throw new RosterException($"The schemas enterprise '{enterprise.Slug}' declares do not fit together ({e.Problem}); remove one with `roster schema remove`.");
        }
    }

    /// <summary>Takes the enterprise's row lock: schema changes of one enterprise run one after the
    /// other. (SQLite's write transaction already holds the database's only write lock.)</summary>
    Task LockAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, CancellationToken cancellationToken) =>
        connection.Command($"SELECT id FROM enterprises WHERE id = @e{database.Dialect.ForUpdate}", transaction)
            .With("@e", enterprise.Id).ListAsync(r => r.GetString(0), cancellationToken);

    static Task<List<Row>> ReadAsync(DbConnection connection, DbTransaction? transaction, Enterprise enterprise, CancellationToken cancellationToken) =>
        connection.Command($"SELECT {Columns} FROM declared_schemas WHERE enterprise_id = @e ORDER BY created_at, urn", transaction)
            .With("@e", enterprise.Id)
            .ListAsync(r => new Row(r.GetString(0), r.GetString(1), r.GetString(2), r.Time(3)), cancellationToken);

    /// <summary>Reads stored definitions with the parser that accepted them.</summary>
    static List<DeclaredSchema> Parse(Enterprise enterprise, IEnumerable<Row> rows) => rows.Select(row =>
    {
        try
        {
            return new DeclaredSchema(row.EnterpriseId, SchemaResourceParser.Parse(JsonNode.Parse(row.Definition)), row.CreatedAt);
        }
        catch (Exception e) when (e is InvalidSchemaException or JsonException)
        {
            throw new RosterException(
                $"The schema '{row.Urn}' that enterprise '{enterprise.Slug}' declares no longer reads ({e.Message}); remove it with `roster schema remove`.");
        }
    }).ToList();

    static RosterException AlreadyDeclared(Enterprise enterprise, string urn) =>
        new($"Enterprise '{enterprise.Slug}' already declares '{urn}'. To change it, `roster schema remove` it, then add it again.");
}
