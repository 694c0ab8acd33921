namespace Roster.Directory.AdminConsole;

/// <summary>An enterprise's owner account in the console: who may sign in with a password when the
/// enterprise's SAML sign-in is not (yet, or any longer) there. Never carries the password hash.</summary>
public sealed record ConsoleOwner(string Id, string EnterpriseId, string Email, string? DisplayName, DateTimeOffset CreatedAt,
    DateTimeOffset? PasswordSetAt, DateTimeOffset? LastSignInAt)
{
    public bool HasPassword => PasswordSetAt is not null;
}

/// <summary>A one-time set-up link as made: the token goes into the link and is never stored or shown again.</summary>
public sealed record IssuedSetupLink(string Token, DateTimeOffset ExpiresAt);
