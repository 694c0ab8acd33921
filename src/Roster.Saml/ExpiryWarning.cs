using System.Security.Cryptography.X509Certificates;

namespace Roster.Saml;

/// <summary>A certificate that has expired or soon will, with a sentence to show the administrator.</summary>
public sealed record ExpiryWarning(X509Certificate2 Certificate, DateTimeOffset NotAfter, bool Expired, string Message);
