using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Audit;
using Roster.Directory.Roles;
using Roster.Directory.Storage;
using Roster.Hosting;
using Roster.Scim.Schema;

namespace Roster.Cli;

/// <summary>The <c>roster</c> command line: every verb, its options, and what it prints.</summary>
internal static class RosterCli
{
    public const string DatabaseVariable = "ROSTER_DATABASE";
    public const string DefaultUrls = "http://localhost:5080";

    static readonly OptionSpec Data = new("data", "Keep data in SQLite in DIR (default ./data).", "DIR");
    static readonly OptionSpec Database = new("database", $"Use PostgreSQL at this connection string (also ${DatabaseVariable}).", "CONNSTRING");
    internal static readonly OptionSpec EnterpriseOption = new("enterprise", "The enterprise, by slug or id.", "SLUG", Required: true);
    static readonly OptionSpec GroupOption = new("group", "The group, by id or displayName (any case).", "NAME_OR_ID", Required: true);
    static readonly IReadOnlyList<OptionSpec> GlobalOptions = [Data, Database];

    /// <summary>Every verb. Internal for CliAuditTests, which classes each as audited or read-only, so that
    /// a verb added later fails it until it is classed.</summary>
    internal static readonly IReadOnlyList<VerbSpec> Verbs =
    [
        new("serve", "Run the Roster server (SCIM for every enterprise).",
            [new OptionSpec("urls", $"Where to listen, ';'-separated (default {DefaultUrls}).", "URLS"), SamlCommands.PublicUrl,
             .. ServeOperationsOptions.Options], [], ServeAsync),
        new("migrate", "Bring the database's schema up to date and exit.", [], [], MigrateAsync),
        new("enterprise create", "Create an enterprise; prints it as JSON.",
            [new OptionSpec("name", "Its display name.", "NAME", Required: true), new OptionSpec("slug", "Its URL name (default: from the name).", "SLUG")],
            [], EnterpriseCreateAsync),
        new("enterprise list", "List the enterprises as a JSON array.", [], [], EnterpriseListAsync),
        new("enterprise show", "Show an enterprise, its members and seats as JSON.", [], ["slug"], EnterpriseShowAsync),
        new("token create", "Create a SCIM bearer token; prints it once, as JSON.",
            [EnterpriseOption, new OptionSpec("name", "What the token is for (e.g. \"Okta\").", "NAME"),
             new OptionSpec("expires-in-days", "Make the token expire after DAYS days.", "DAYS")], [], TokenCreateAsync),
        new("token list", "List an enterprise's SCIM tokens (never their secrets) as a JSON array.", [EnterpriseOption], [], TokenListAsync),
        new("token revoke", "Revoke a SCIM token; it stops working at once.", [EnterpriseOption], ["id"], TokenRevokeAsync),
        new("scim enable", "Turn an enterprise's SCIM provisioning on (once SAML sign-in works); prints its SCIM status as JSON.",
            [EnterpriseOption], [], ScimEnableAsync),
        new("scim disable", "Turn an enterprise's SCIM provisioning off (its tokens get 403); prints its SCIM status as JSON.",
            [EnterpriseOption], [], ScimDisableAsync),
        new("scim status", "Show whether an enterprise's SCIM provisioning is on, and whether SAML sign-in works, as JSON.",
            [EnterpriseOption], [], ScimStatusAsync),
        new("schema add", "Declare a SCIM extension schema for an enterprise's Users; prints it as /Schemas shows it.",
            [EnterpriseOption, new OptionSpec("file", "The schema: a SCIM Schema resource (RFC 7643 §7) in JSON.", "FILE", Required: true)],
            [], SchemaAddAsync),
        new("schema list", "List the schemas an enterprise declares, as a JSON array.", [EnterpriseOption], [], SchemaListAsync),
        new("schema remove", "Remove a declared schema; refused while members carry values of it, unless --force.",
            [EnterpriseOption, new OptionSpec("force", "Remove it anyway, and the values members carry of it.")], ["urn"], SchemaRemoveAsync),
        new("role map", "Map an IdP group to a role (owner, admin, member, guest); prints the mapping as JSON.",
            [EnterpriseOption, GroupOption, new OptionSpec("role", "owner, admin, member or guest.", "ROLE", Required: true)], [], RoleMapAsync),
        new("role unmap", "Remove a group's role mapping (its members keep it as a team); prints the removed mapping as JSON.",
            [EnterpriseOption, GroupOption], [], RoleUnmapAsync),
        new("role list", "List the enterprise's group-to-role mappings as a JSON array, highest role first.", [EnterpriseOption], [], RoleListAsync),
        new("member list", "List members with their role and groups as a JSON array.",
            [EnterpriseOption, new OptionSpec("role", "Only the members of this role (owner, admin, member, guest).", "ROLE"),
             new OptionSpec("limit", "At most N members (default 1000).", "N")], [], MemberListAsync),
        new("member show", "Show a member (by id or userName) with its role and groups as JSON.", [EnterpriseOption], ["id_or_username"], MemberShowAsync),
        new("log", "Show provisioning attempts, newest first.",
            [EnterpriseOption, new OptionSpec("failed", "Only the attempts that failed."),
             new OptionSpec("limit", "At most N entries (default 50).", "N"), new OptionSpec("json", "Print a JSON array instead of a table.")],
            [], LogAsync),
        new("audit", "Show the admin actions of an enterprise (who, when, what), newest first, as a JSON array.",
            [EnterpriseOption, new OptionSpec("limit", "At most N entries (default 50).", "N"),
             new OptionSpec("before", "Only the entries older than entry ID (the next page).", "ID")],
            [], AuditAsync),
        .. SamlCommands.Verbs,
        .. OwnerCommands.Verbs,
        .. DomainCommands.Verbs,
        .. LinkingCommands.Verbs,
        .. PolicyCommands.Verbs,
        .. HealthCommands.Verbs,
        .. RateLimitCommands.Verbs,
        .. ApiKeyCommands.Verbs,
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        try
        {
            if (args is ["--version"])
            {
                output.WriteLine(typeof(RosterCli).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
                return 0;
            }
            var (verb, invocation, wantsHelp) = CommandLine.Parse(Verbs, GlobalOptions, args);
            if (wantsHelp)
            {
                output.Write(verb is null ? GeneralHelp() : VerbHelp(verb));
                return 0;
            }
            invocation!.Out = output;
            invocation.Error = error;
            return await verb!.Run(invocation);
        }
        catch (UsageException e)
        {
            error.WriteLine($"roster: {e.Message} See 'roster --help'.");
            return 2;
        }
        catch (RosterException e)
        {
            error.WriteLine($"roster: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            error.WriteLine($"roster: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        catch (Exception e)
        {
            // Still one line: a stack trace helps nobody who runs a command. The message says enough to report it.
            error.WriteLine($"roster: unexpected {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    static string GeneralHelp()
    {
        var lines = new List<string>
        {
            "roster — the member directory your customers' identity providers run (SCIM 2.0).",
            "",
            "Usage: roster VERB [OPTIONS]",
            "",
            "Verbs:",
        };
        var width = Verbs.Max(v => v.Path.Length) + 2;
        lines.AddRange(Verbs.Select(v => $"  {v.Path.PadRight(width)}{v.Summary}"));
        lines.Add("");
        lines.Add("Every verb takes:");
        lines.AddRange(GlobalOptions.Select(o => $"  {o.Usage.PadRight(width + 10)}{o.Help}"));
        lines.Add("");
        lines.Add("'roster VERB --help' shows a verb's options.");
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    static string VerbHelp(VerbSpec verb)
    {
        var lines = new List<string> { verb.Summary, "", "Usage: " + verb.Usage, "", "Options:" };
        var all = verb.Options.Concat(GlobalOptions).ToList();
        var width = all.Max(o => o.Usage.Length) + 2;
        lines.AddRange(all.Select(o => $"  {o.Usage.PadRight(width)}{o.Help}"));
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    /// <summary>The store the user named: --database (or $ROSTER_DATABASE) for PostgreSQL, else
    /// SQLite in --data (default ./data).</summary>
    internal static DatabaseOptions StoreOf(Invocation invocation)
    {
        var connectionString = invocation.Get("database") ?? Environment.GetEnvironmentVariable(DatabaseVariable);
        if (invocation.Has("database") && invocation.Has("data"))
            throw new UsageException("Give --data (SQLite) or --database (PostgreSQL), not both.");
        if (!string.IsNullOrWhiteSpace(connectionString) && !invocation.Has("data")) return DatabaseOptions.Postgres(connectionString);
        return DatabaseOptions.Sqlite(invocation.Get("data") ?? "data");
    }

    /// <summary>--limit N of the log verbs: 1 to 10,000.</summary>
    internal static int ParseLimit(Invocation invocation, int defaultLimit)
    {
        var limit = defaultLimit;
        if (invocation.Get("limit") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 10_000))
            throw new UsageException("--limit takes a whole number from 1 to 10000.");
        return limit;
    }

    /// <summary>Who the audit log says made a change from the command line: the operating-system
    /// account and machine, as nothing more (no sign-in) is known of whoever runs it.</summary>
    internal static AuditActor Actor => AuditActor.CommandLine(Environment.UserName, Environment.MachineName);

    internal static Task<RosterDirectory> OpenAsync(Invocation invocation) => RosterDirectory.OpenAsync(StoreOf(invocation));

    /// <summary>The directory and the enterprise --enterprise names: what most verbs start with.</summary>
    internal static async Task<(RosterDirectory Directory, Directory.Enterprises.Enterprise Enterprise)> OpenEnterpriseAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        return (directory, await directory.Enterprises.GetAsync(invocation.Require("enterprise")));
    }

    static async Task<int> ServeAsync(Invocation invocation)
    {
        var store = StoreOf(invocation);
        var operations = ServeOperationsOptions.From(invocation); // refuses a bad value before touching the database
        var directory = await RosterDirectory.OpenAsync(store);
        var urls = invocation.Get("urls") ?? DefaultUrls;
        var publicUrl = invocation.Get("public-url") is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(SamlCommands.PublicUrlVariable);
        if (!string.IsNullOrWhiteSpace(publicUrl)) publicUrl = SamlCommands.PublicBaseUrl(publicUrl, DefaultUrls); // refuses a malformed one before listening
        RosterServer server;
        try
        {
            server = await RosterServer.StartAsync(directory, urls, publicUrl: publicUrl, operations: operations);
        }
        catch (IOException e)
        {
            throw new RosterException($"Cannot listen on {urls}: {e.Message}");
        }
        await using (server)
        {
            var console = new ServeConsole(invocation, server, operations.LogFormat);
            foreach (var address in server.Addresses) console.Say($"Roster is listening on {address}");
            console.Say($"Data: {store.Description}");
            console.Say("SCIM base URL of an enterprise: <address>/scim/v2/<slug>; SAML: <address>/saml/<slug>. Press Ctrl+C to stop.");
            foreach (var warning in await SamlCommands.CertificateWarningsAsync(directory)) console.Warn(warning);
            // The first run: nobody can sign in to the console yet, so the one who started Roster gets a link.
            var publicBaseUrl = SamlCommands.PublicBaseUrl(publicUrl, server.Addresses.FirstOrDefault() ?? DefaultUrls);
            if (await AdminConsole.FirstRunLink.CreateAsync(directory, publicBaseUrl) is { } firstRun) console.FirstRun(firstRun);
            await server.WaitForShutdownAsync();
        }
        return 0;
    }

    static async Task<int> MigrateAsync(Invocation invocation)
    {
        var store = StoreOf(invocation);
        await RosterDirectory.OpenAsync(store);
        var latest = Migrator.For(store.Dialect).Max(m => m.Version);
        CliJson.Print(invocation.Out, new JsonObject { ["database"] = store.Description, ["schemaVersion"] = latest });
        return 0;
    }

    static async Task<int> EnterpriseCreateAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.CreateAsync(invocation.Require("name"), invocation.Get("slug"), Actor);
        var json = CliJson.Enterprise(enterprise);
        json["scimEnabled"] = false; // every enterprise starts with it off
        CliJson.Print(invocation.Out, json);
        return 0;
    }

    static async Task<int> EnterpriseListAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var list = await directory.Enterprises.ListAsync();
        CliJson.Print(invocation.Out, new JsonArray(list.Select(e => (JsonNode?)CliJson.Enterprise(e)).ToArray()));
        return 0;
    }

    static async Task<int> EnterpriseShowAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Arguments[0]);
        CliJson.Print(invocation.Out, CliJson.Summary(await directory.Enterprises.SummarizeAsync(enterprise)));
        return 0;
    }

    static async Task<int> TokenCreateAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        DateTimeOffset? expires = null;
        if (invocation.Get("expires-in-days") is { } days)
        {
            if (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 3650)
                throw new UsageException("--expires-in-days takes a whole number of days from 1 to 3650.");
            expires = directory.Clock.GetUtcNow().AddDays(n);
        }
        var issued = await directory.Tokens.CreateAsync(enterprise, invocation.Get("name"), expires, Actor);
        var status = await directory.ScimActivation.StatusAsync(enterprise);
        var json = CliJson.Token(issued.Token, enterprise, directory.Clock.GetUtcNow());
        json["token"] = issued.Secret;
        json["scimPath"] = enterprise.ScimPath;
        json["scimEnabled"] = status.ScimEnabled;
        if (!status.ScimEnabled)
        {
            // The token is made anyway: the IdP's SCIM app can be set up while SAML is finished.
            json["warning"] = $"SCIM provisioning is turned off for enterprise '{enterprise.Slug}': this token is answered 403 until " +
                              $"`roster scim enable --enterprise {enterprise.Slug}` turns it on, once SAML sign-in works.";
        }
        CliJson.Print(invocation.Out, json);
        return 0;
    }

    static async Task<int> TokenListAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var now = directory.Clock.GetUtcNow();
        var tokens = await directory.Tokens.ListAsync(enterprise);
        CliJson.Print(invocation.Out, new JsonArray(tokens.Select(t => (JsonNode?)CliJson.Token(t, enterprise, now)).ToArray()));
        return 0;
    }

    static async Task<int> TokenRevokeAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var token = await directory.Tokens.RevokeAsync(enterprise, invocation.Arguments[0], Actor);
        CliJson.Print(invocation.Out, CliJson.Token(token, enterprise, directory.Clock.GetUtcNow()));
        return 0;
    }

    static async Task<int> ScimEnableAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        CliJson.Print(invocation.Out, CliJson.ScimStatus(await directory.ScimActivation.EnableAsync(enterprise, Actor)));
        return 0;
    }

    static async Task<int> ScimDisableAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        CliJson.Print(invocation.Out, CliJson.ScimStatus(await directory.ScimActivation.DisableAsync(enterprise, Actor)));
        return 0;
    }

    static async Task<int> ScimStatusAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        CliJson.Print(invocation.Out, CliJson.ScimStatus(await directory.ScimActivation.StatusAsync(enterprise)));
        return 0;
    }

    static async Task<int> SchemaAddAsync(Invocation invocation)
    {
        var file = invocation.Require("file");
        var schema = ReadSchema(file);
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var declared = await directory.Schemas.AddAsync(enterprise, schema, Actor);
        CliJson.Print(invocation.Out, CliJson.Schema(declared, enterprise));
        return 0;
    }

    /// <summary>The schema in <paramref name="file"/>, or one line saying what is wrong and where.</summary>
    static SchemaDefinition ReadSchema(string file)
    {
        if (!File.Exists(file)) throw new RosterException($"No file '{file}'.");
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            throw new RosterException($"{file} is not valid JSON{where}.");
        }
        try
        {
            return SchemaResourceParser.Parse(json);
        }
        catch (InvalidSchemaException e)
        {
            throw new RosterException($"{file}: {e.Message}");
        }
    }

    static async Task<int> SchemaListAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var schemas = await directory.Schemas.ListAsync(enterprise);
        CliJson.Print(invocation.Out, new JsonArray(schemas.Select(s => (JsonNode?)CliJson.Schema(s, enterprise)).ToArray()));
        return 0;
    }

    static async Task<int> SchemaRemoveAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var removed = await directory.Schemas.RemoveAsync(enterprise, invocation.Arguments[0], invocation.Has("force"), Actor);
        CliJson.Print(invocation.Out, CliJson.Schema(removed, enterprise));
        return 0;
    }

    /// <summary>--role's value: one of the roles, else a usage error.</summary>
    static string RoleOf(string value) => EnterpriseRole.IsRole(value)
        ? value
        : throw new UsageException($"--role takes one of {string.Join(", ", EnterpriseRole.All)}, not '{value}'.");

    static async Task<int> RoleMapAsync(Invocation invocation)
    {
        var role = RoleOf(invocation.Require("role"));
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var mapping = await directory.Roles.MapAsync(enterprise, invocation.Require("group"), role, Actor);
        CliJson.Print(invocation.Out, CliJson.RoleMapping(mapping));
        return 0;
    }

    static async Task<int> RoleUnmapAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var mapping = await directory.Roles.UnmapAsync(enterprise, invocation.Require("group"), Actor);
        CliJson.Print(invocation.Out, CliJson.RoleMapping(mapping));
        return 0;
    }

    static async Task<int> RoleListAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var mappings = await directory.Roles.ListAsync(enterprise);
        CliJson.Print(invocation.Out, new JsonArray(mappings.Select(m => (JsonNode?)CliJson.RoleMapping(m)).ToArray()));
        return 0;
    }

    static async Task<int> MemberListAsync(Invocation invocation)
    {
        var role = invocation.Get("role") is { } text ? RoleOf(text) : null;
        var limit = 1000;
        if (invocation.Get("limit") is { } n && (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 100_000))
            throw new UsageException("--limit takes a whole number from 1 to 100000.");
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var members = await directory.Roles.ListMembersAsync(enterprise, role, limit);
        CliJson.Print(invocation.Out, new JsonArray(members.Select(m => (JsonNode?)CliJson.Member(m)).ToArray()));
        return 0;
    }

    static async Task<int> MemberShowAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        CliJson.Print(invocation.Out, CliJson.Member(await directory.Roles.GetMemberAsync(enterprise, invocation.Arguments[0])));
        return 0;
    }

    static async Task<int> LogAsync(Invocation invocation)
    {
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var limit = ParseLimit(invocation, 50);
        var events = await directory.Log.QueryAsync(enterprise, invocation.Has("failed"), limit);
        if (invocation.Has("json"))
        {
            CliJson.Print(invocation.Out, new JsonArray(events.Select(e => (JsonNode?)CliJson.Event(e)).ToArray()));
            return 0;
        }
        LogTable.Write(invocation.Out, events);
        return 0;
    }

    static async Task<int> AuditAsync(Invocation invocation)
    {
        var limit = ParseLimit(invocation, 50);
        long? before = null;
        if (invocation.Get("before") is { } text)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
                throw new UsageException("--before takes an entry's id, a whole number from 1.");
            before = id;
        }
        var directory = await OpenAsync(invocation);
        var enterprise = await directory.Enterprises.GetAsync(invocation.Require("enterprise"));
        var entries = await directory.Audit.ListAsync(enterprise, limit, before);
        CliJson.Print(invocation.Out, new JsonArray(entries.Select(e => (JsonNode?)CliJson.AuditEntry(e)).ToArray()));
        return 0;
    }
}
