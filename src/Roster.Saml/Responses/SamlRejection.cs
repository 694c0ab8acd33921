namespace Roster.Saml.Responses;

/// <summary>Why a Response was refused. <see cref="Detail"/> is one English sentence for the
/// enterprise's admins naming what was expected and what was found; it never holds the message's XML
/// and must not be shown to the browser.</summary>
public sealed record SamlRejection(SamlRejectionReason Reason, string Detail);
