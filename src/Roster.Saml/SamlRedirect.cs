namespace Roster.Saml;

/// <summary>An AuthnRequest ready to send: the browser is redirected to <see cref="Location"/> (use
/// its AbsoluteUri, which keeps the escaping the signature covers). <see cref="RequestId"/> is what
/// the Response's InResponseTo must later equal; keep it server-side or in the correlation cookie.</summary>
public sealed record SamlRedirect(string RequestId, Uri Location, string RequestXml);
