using Roster.Directory.Enterprises;

namespace Roster.AdminConsole;

/// <summary>Someone signed in who may see the console of <paramref name="Enterprise"/>, or not:
/// an owner account (password) or a member (SAML) with their role as computed now.</summary>
/// <param name="Account">What they sign in as: the owner account's email, the member's userName.</param>
public sealed record ConsoleViewer(Enterprise Enterprise, string Name, string Role, bool IsOwnerAccount, string Account)
{
    public bool MayAdminister => Role is Directory.Roles.EnterpriseRole.Owner or Directory.Roles.EnterpriseRole.Admin;

    public string Description => IsOwnerAccount ? $"{Name} (owner account)" : $"{Name} ({Role}, single sign-on)";
}
