namespace Roster.Directory.Members;

/// <summary>A member as a SAML sign-in needs it: who it is, where it came from, whether it may sign in.</summary>
/// <param name="Source">How it was created: <see cref="MemberDirectory.SourceScim"/> or <see cref="MemberDirectory.SourceSamlJit"/>.</param>
public sealed record SignInMember(string Id, string UserName, string? Email, string Source, bool Active);

/// <summary>The member a NameID names, or none; <see cref="Ambiguous"/> when several would be (members
/// sharing an email), which is no member either.</summary>
public sealed record SignInLookup(SignInMember? Member, bool Ambiguous)
{
    public static readonly SignInLookup None = new(null, false);
    public static readonly SignInLookup AmbiguousMatch = new(null, true);
}
