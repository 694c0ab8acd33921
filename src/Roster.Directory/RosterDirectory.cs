using Roster.Directory.AdminConsole;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Groups;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Directory.Roles;
using Roster.Directory.Schemas;
using Roster.Directory.SignOn;
using Roster.Directory.Storage;
using Roster.Directory.Tokens;

namespace Roster.Directory;

/// <summary>Everything Roster keeps, over one database: the entry point of the command line and the
/// server alike.</summary>
public sealed class RosterDirectory
{
    public RosterDirectory(DatabaseOptions options, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        Database = new RosterDatabase(options);
        Log = new ProvisioningLog(Database, clock);
        Enterprises = new EnterpriseDirectory(Database, clock);
        Tokens = new ScimTokenStore(Database, clock);
        Members = new MemberDirectory(Database, Log, clock);
        MemberBulkLoad = new MemberBulkLoad(Database, clock);
        Groups = new GroupDirectory(Database, Log, clock);
        Roles = new RoleMappings(Database, Groups, clock);
        Sessions = new MemberSessions(Database, clock);
        Schemas = new DeclaredSchemaStore(Database, Members, clock);
        ScimActivation = new ScimActivation(Database, clock);
        DeprovisioningPolicies = new DeprovisioningPolicies(Database, clock);
        SamlConfigurations = new SamlConfigurations(Database, clock);
        SamlPendingRequests = new SamlPendingRequests(Database, clock);
        SamlReplayCache = new SamlReplayCache(Database, clock);
        SignInLog = new SignInLog(Database, clock);
        Owners = new ConsoleOwners(Database, clock);
        SetupLinks = new ConsoleSetupLinks(Database, clock);
        ConsoleSessions = new ConsoleSessions(Database, clock);
        PasswordThrottle = new PasswordThrottle(Database, clock);
        PasswordSignIn = new PasswordSignIn(Database, PasswordThrottle, clock);
        DataProtectionKeys = new DataProtectionKeyStore(Database, clock);
        Audit = new AdminAudit(Database);
        Domains = new Identity.EnterpriseDomains(Database, clock);
        Linking = new Identity.MemberLinking(Database, clock);
        Events = new Events.EventFeed(Database);
        Webhooks = new Webhooks.WebhookEndpoints(Database, clock);
        WebhookQueue = new Webhooks.WebhookQueue(Database, clock);
        ApiKeys = new Api.AdminApiKeys(Database, clock);
        Clock = clock;
    }

    public RosterDatabase Database { get; }
    public EnterpriseDirectory Enterprises { get; }
    public ScimTokenStore Tokens { get; }
    public MemberDirectory Members { get; }
    /// <summary>Many members at once, for loading an existing directory (not provisioning: no log, no events).</summary>
    public MemberBulkLoad MemberBulkLoad { get; }
    public GroupDirectory Groups { get; }
    public RoleMappings Roles { get; }
    public MemberSessions Sessions { get; }
    public DeclaredSchemaStore Schemas { get; }
    public ProvisioningLog Log { get; }
    /// <summary>The rule for turning SCIM provisioning on and off.</summary>
    public ScimActivation ScimActivation { get; }
    /// <summary>What each enterprise does when its IdP deactivates or deletes a member.</summary>
    public DeprovisioningPolicies DeprovisioningPolicies { get; }
    public SamlConfigurations SamlConfigurations { get; }
    public SamlPendingRequests SamlPendingRequests { get; }
    public SamlReplayCache SamlReplayCache { get; }
    public SignInLog SignInLog { get; }
    /// <summary>Owner accounts of the admin console, with their break-glass passwords.</summary>
    public ConsoleOwners Owners { get; }
    public ConsoleSetupLinks SetupLinks { get; }
    public ConsoleSessions ConsoleSessions { get; }
    public PasswordThrottle PasswordThrottle { get; }
    public PasswordSignIn PasswordSignIn { get; }
    public DataProtectionKeyStore DataProtectionKeys { get; }
    /// <summary>Who did which admin action, and when.</summary>
    public AdminAudit Audit { get; }
    public Identity.EnterpriseDomains Domains { get; }
    public Identity.MemberLinking Linking { get; }
    public Events.EventFeed Events { get; }
    public Webhooks.WebhookEndpoints Webhooks { get; }
    public Webhooks.WebhookQueue WebhookQueue { get; }
    /// <summary>The keys of the /api/v1 admin API, each scoped to one enterprise.</summary>
    public Api.AdminApiKeys ApiKeys { get; }
    public TimeProvider Clock { get; }

    /// <summary>Opens the directory, bringing the database's schema up to date first.</summary>
    public static async Task<RosterDirectory> OpenAsync(DatabaseOptions options, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var directory = new RosterDirectory(options, clock);
        await directory.Database.MigrateAsync(cancellationToken);
        return directory;
    }
}
