using System.Data.Common;
using System.Text;
using Roster.Directory.Storage;

namespace Roster.Directory.Enterprises;

public sealed class EnterpriseDirectory(RosterDatabase database, TimeProvider clock)
{
    const string Columns = "id, slug, name, created_at";

    public async Task<Enterprise> CreateAsync(string name, string? slug = null, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (name.Length == 0) throw new RosterException("The enterprise name must not be empty.");
        if (name.Length > 200) throw new RosterException("The enterprise name must be at most 200 characters.");
        slug = slug is null ? Slugify(name) : slug.Trim();
        ValidateSlug(slug);

        var enterprise = new Enterprise(Identifiers.NewId(), slug, name, clock.GetUtcNow());
        try
        {
            await database.InTransactionAsync((connection, transaction) =>
                connection.Command("INSERT INTO enterprises (id, slug, name, created_at) VALUES (@id, @slug, @name, @created)", transaction)
                    .With("@id", enterprise.Id).With("@slug", enterprise.Slug).With("@name", enterprise.Name)
                    .With("@created", enterprise.CreatedAt.ToDb()).ExecuteAsync(cancellationToken), cancellationToken);
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new RosterException($"An enterprise with slug '{slug}' already exists; choose another with --slug.");
        }
        return enterprise;
    }

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
            return new EnterpriseSummary(enterprise, counts[0].Active, counts[0].Inactive, last[0]);
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
