using System.Data.Common;
using System.Text;
using Roster.Directory.Audit;
using Roster.Directory.Storage;

namespace Roster.Directory.Enterprises;

public sealed class EnterpriseDirectory(RosterDatabase database, TimeProvider clock)
{
    const string Columns = "id, slug, name, created_at";

    /// <summary>A new enterprise, audited (in its own log) as <paramref name="actor"/>'s action.</summary>
    public async Task<Enterprise> CreateAsync(string name, string? slug = null, AuditActor? actor = null, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (name.Length == 0) throw new RosterException("The enterprise name must not be empty.");
        if (name.Length > 200) throw new RosterException("The enterprise name must be at most 200 characters.");
        slug = slug is null ? Slugify(name) : slug.Trim();
        ValidateSlug(slug);

        var enterprise = new Enterprise(Identifiers.NewId(), slug, name, clock.GetUtcNow());
        try
        {
            await database.InTransactionAsync(async (connection, transaction) =>
            {
                await InsertAsync(connection, transaction, enterprise, cancellationToken);
                await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.EnterpriseCreated,
                    $"Enterprise '{enterprise.Name}' created with slug '{enterprise.Slug}'", enterprise.CreatedAt, cancellationToken);
            }, cancellationToken);
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new RosterException($"An enterprise with slug '{slug}' already exists; choose another with --slug.");
        }
        return enterprise;
    }

    /// <summary>A new enterprise named <paramref name="name"/> inside a transaction of the caller: its
    /// slug from the name, with -2, -3, ... appended while that slug is taken.</summary>
    internal static async Task<Enterprise> InsertWithFreeSlugAsync(DbConnection connection, DbTransaction transaction, string name, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length == 0) throw new RosterException("The organisation name must not be empty.");
        if (name.Length > 200) throw new RosterException("The organisation name must be at most 200 characters.");
        var baseSlug = Slugify(name);
        var slug = baseSlug;
        for (var n = 2; await FindBySlugAsync(connection, transaction, slug, cancellationToken) is not null; n++)
        {
            var suffix = "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            slug = (baseSlug.Length + suffix.Length > 63 ? baseSlug[..(63 - suffix.Length)].TrimEnd('-') : baseSlug) + suffix;
        }
        var enterprise = new Enterprise(Identifiers.NewId(), slug, name, now);
        await InsertAsync(connection, transaction, enterprise, cancellationToken);
        return enterprise;
    }

    static Task InsertAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, CancellationToken cancellationToken) =>
        // SCIM starts off: it is turned on once SAML sign-in works (ScimActivation).
        connection.Command("INSERT INTO enterprises (id, slug, name, created_at, scim_enabled) VALUES (@id, @slug, @name, @created, FALSE)", transaction)
            .With("@id", enterprise.Id).With("@slug", enterprise.Slug).With("@name", enterprise.Name)
            .With("@created", enterprise.CreatedAt.ToDb()).ExecuteAsync(cancellationToken);

    public Task<Enterprise?> FindBySlugAsync(string slug, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => FindBySlugAsync(c, null, slug, cancellationToken), cancellationToken);

    public static Task<Enterprise?> FindBySlugAsync(DbConnection connection, DbTransaction? transaction, string slug, CancellationToken cancellationToken = default) =>
        connection.Command($"SELECT {Columns} FROM enterprises WHERE slug = @slug", transaction)
            .With("@slug", slug).SingleOrDefaultAsync(Read, cancellationToken);

    /// <summary>The enterprise named by <paramref name="slugOrId"/>, or an error an operator can act on.</summary>
    public async Task<Enterprise> GetAsync(string slugOrId, CancellationToken cancellationToken = default)
    {
        var found = await database.ReadAsync(c =>
            c.Command($"SELECT {Columns} FROM enterprises WHERE slug = @key OR id = @key").With("@key", slugOrId)
                .SingleOrDefaultAsync(Read, cancellationToken), cancellationToken);
        return found ?? throw new RosterException($"No enterprise '{slugOrId}'. `roster enterprise list` shows the ones that exist.");
    }

    public Task<List<Enterprise>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command($"SELECT {Columns} FROM enterprises ORDER BY created_at, id").ListAsync(Read, cancellationToken), cancellationToken);

    /// <summary>
    /// Turns the enterprise's SCIM provisioning on or off, as it is, without the rule that SAML
    /// sign-in must work first: that rule is <see cref="ScimActivation"/>, which operators go
    /// through; this is for it, and for fixtures that set a state up. The next SCIM request sees the
    /// change: it is read with the token on every request, never cached.
    /// </summary>
    public Task SetScimEnabledAsync(Enterprise enterprise, bool enabled, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync((connection, transaction) => SetScimEnabledAsync(connection, transaction, enterprise, enabled, cancellationToken),
            cancellationToken);

    internal static async Task SetScimEnabledAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, bool enabled,
        CancellationToken cancellationToken)
    {
        var updated = await connection.Command("UPDATE enterprises SET scim_enabled = @on WHERE id = @e", transaction)
            .With("@on", enabled).With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
        if (updated == 0) throw new RosterException($"No enterprise '{enterprise.Slug}'. `roster enterprise list` shows the ones that exist.");
    }

    /// <summary>Takes the enterprise's row lock until the transaction ends, so that changes to its SAML
    /// configuration and its SCIM switch happen one at a time (PostgreSQL; a SQLite write transaction
    /// holds the whole database already).</summary>
    internal static async Task LockAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, Enterprise enterprise,
        CancellationToken cancellationToken)
    {
        var found = await connection.Command($"SELECT id FROM enterprises WHERE id = @e{dialect.ForUpdate}", transaction)
            .With("@e", enterprise.Id).ListAsync(r => r.GetString(0), cancellationToken);
        if (found.Count == 0) throw new RosterException($"No enterprise '{enterprise.Slug}'. `roster enterprise list` shows the ones that exist.");
    }

    public async Task<EnterpriseSummary> SummarizeAsync(Enterprise enterprise, CancellationToken cancellationToken = default)
    {
        return await database.ReadAsync(async c =>
        {
            var counts = await c.Command(
                    "SELECT count(*) FILTER (WHERE active = TRUE), count(*) FILTER (WHERE active = FALSE) FROM members WHERE enterprise_id = @e AND deleted_at IS NULL")
                .With("@e", enterprise.Id)
                .ListAsync(r => (Active: r.GetInt64(0), Inactive: r.GetInt64(1)), cancellationToken);
            var last = await c.Command("SELECT max(occurred_at) FROM provisioning_events WHERE enterprise_id = @e")
                .With("@e", enterprise.Id).ListAsync(r => r.TimeOrNull(0), cancellationToken);
            var scimEnabled = await c.Command("SELECT scim_enabled FROM enterprises WHERE id = @e")
                .With("@e", enterprise.Id).ListAsync(r => r.GetBoolean(0), cancellationToken);
            return new EnterpriseSummary(enterprise, counts[0].Active, counts[0].Inactive, last[0], scimEnabled.SingleOrDefault());
        }, cancellationToken);
    }

    static Enterprise Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.Time(3));

    /// <summary>"Acme Corp." becomes "acme-corp": lower-case ASCII letters, digits and single dashes.</summary>
    public static string Slugify(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name)
        {
            var folded = char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c)
                : c is >= '\u00C0' and <= '\u017F' ? LatinFold[c - '\u00C0']
                : '-';
            if (folded != '-') builder.Append(folded);
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
        }
        var slug = builder.ToString().Trim('-');
        if (slug.Length > 63) slug = slug[..63].TrimEnd('-');
        return slug.Length == 0 ? "enterprise" : slug;
    }

    /// <summary>The ASCII letter of each character from U+00C0 to U+017F ('-' where there is none):
    /// "Société" becomes "societe". Spelled out because Roster runs with invariant globalization,
    /// where Unicode decomposition is not available.</summary>
    const string LatinFold = "aaaaaaaceeeeiiiidnooooo-ouuuuytsaaaaaaaceeeeiiiidnooooo-ouuuuytyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooooooorrrrrrsssssssstttt--uuuuuuuuuuuuwwyyyzzzzzzs";

    static void ValidateSlug(string slug)
    {
        if (slug.Length is 0 or > 63 || !slug.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || slug[0] == '-' || slug[^1] == '-')
            throw new RosterException($"'{slug}' is not a valid slug: use 1-63 lower-case letters, digits and inner dashes.");
    }
}
