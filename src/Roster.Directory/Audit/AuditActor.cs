namespace Roster.Directory.Audit;

/// <summary>Who performed an admin action, in the words the audit log shows.</summary>
public sealed record AuditActor
{
    const int MaxLength = 300;

    AuditActor(string description) => Description = description;

    public string Description { get; }

    /// <summary>Someone signed in to the console with an owner account's password, by its name or email.</summary>
    public static AuditActor OwnerAccount(string name) => new($"owner account {name}");

    /// <summary>A member signed in to the console through their enterprise's SAML IdP, by name or userName,
    /// with the role that let them in.</summary>
    public static AuditActor Member(string name, string role) => new($"member {name} ({role}, single sign-on)");

    /// <summary>The <c>roster</c> command line, run by an operator on a machine.</summary>
    public static AuditActor CommandLine(string userName, string machineName) => new($"command line ({userName}@{machineName})");

    /// <summary>Someone following the one-time first-run link, who becomes the first owner.</summary>
    public static AuditActor FirstRunLink(string email) => new($"first-run link ({email})");

    /// <summary>A caller of the admin API, by the key it presented: its name and id (the name alone may
    /// be shared by several keys).</summary>
    public static AuditActor ApiKey(string id, string name) => new($"API key {name} ({id})");

    public override string ToString() => Description;

    internal string Stored => Description.Length <= MaxLength ? Description : Description[..MaxLength] + "…";
}
