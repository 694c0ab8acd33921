using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Roster.Saml;

/// <summary>
/// A SAML message received over the HTTP-Redirect binding (SAML Bindings §3.4): the inflated XML,
/// the RelayState, and what is needed to check the query-string signature. Used for messages an IdP
/// redirects to Roster (logout) and by tests reading the AuthnRequests Roster sends.
/// </summary>
public sealed class RedirectMessage
{
    /// <summary>The most a message may inflate to. An AuthnRequest or LogoutRequest is under 2 KB, and
    /// a few kilobytes of DEFLATE can inflate a thousandfold (a "deflate bomb").</summary>
    public const int DefaultMaxInflatedBytes = 100 * 1024;

    /// <summary>Longer queries are refused before anything is decoded; browsers and servers cap URLs
    /// far below this anyway.</summary>
    public const int MaxQueryLength = 64 * 1024;

    readonly byte[]? signature;
    readonly string signedContent;

    RedirectMessage(string parameterName, string xml, string? relayState, string? signatureAlgorithm, byte[]? signature, string signedContent)
    {
        ParameterName = parameterName;
        Xml = xml;
        RelayState = relayState;
        SignatureAlgorithm = signatureAlgorithm;
        this.signature = signature;
        this.signedContent = signedContent;
    }

    /// <summary>"SAMLRequest" or "SAMLResponse".</summary>
    public string ParameterName { get; }

    /// <summary>The message, inflated and decoded from UTF-8; not yet parsed (parse it with <see cref="SafeXml"/>).</summary>
    public string Xml { get; }

    public string? RelayState { get; }

    /// <summary>The SigAlg parameter, URL-decoded; null when the message is unsigned.</summary>
    public string? SignatureAlgorithm { get; }

    public bool IsSigned => signature is not null;

    /// <summary>
    /// Reads a message from the query string exactly as received (with or without its leading "?"),
    /// keeping the raw parameter values for the signature check: senders escape differently (ADFS and
    /// Entra write lower-case percent escapes), and the signature covers the sender's bytes, not a
    /// re-encoding of them. Parameters other than the SAML ones are ignored.
    /// </summary>
    /// <exception cref="FormatException">Not a well-formed Redirect-binding message.</exception>
    public static RedirectMessage Decode(string rawQuery, int maxInflatedBytes = DefaultMaxInflatedBytes)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInflatedBytes, 1);
        if (rawQuery.Length > MaxQueryLength) throw new FormatException($"The query is longer than {MaxQueryLength:N0} characters.");

        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            if (name is not ("SAMLRequest" or "SAMLResponse" or "RelayState" or "SigAlg" or "Signature")) continue;
            // Two values for one SAML parameter leave it open which one was signed and which one is read.
            if (!raw.TryAdd(name, value)) throw new FormatException($"The query has more than one {name} parameter.");
        }

        var hasRequest = raw.TryGetValue("SAMLRequest", out var rawRequest);
        var hasResponse = raw.TryGetValue("SAMLResponse", out var rawResponse);
        if (hasRequest == hasResponse) throw new FormatException("The query must carry exactly one of SAMLRequest and SAMLResponse.");
        var parameterName = hasRequest ? "SAMLRequest" : "SAMLResponse";
        var rawMessage = hasRequest ? rawRequest! : rawResponse!;

        var xml = DecodeMessage(WebUtility.UrlDecode(rawMessage), parameterName, maxInflatedBytes);
        raw.TryGetValue("RelayState", out var rawRelayState);
        var hasSigAlg = raw.TryGetValue("SigAlg", out var rawSigAlg);
        var hasSignature = raw.TryGetValue("Signature", out var rawSignature);
        if (hasSigAlg != hasSignature) throw new FormatException("The query has one of SigAlg and Signature without the other.");

        byte[]? signature = null;
        if (hasSignature)
        {
            try
            {
                signature = Convert.FromBase64String(WebUtility.UrlDecode(rawSignature!));
            }
            catch (FormatException e)
            {
                throw new FormatException("The Signature parameter is not base64.", e);
            }
        }

        // Bindings §3.4.4.1: the signed octets are the parameters as they appear in the query, in this
        // order, with RelayState left out only when absent.
        var signedContent = $"{parameterName}={rawMessage}" +
            (rawRelayState is null ? "" : $"&RelayState={rawRelayState}") +
            (hasSigAlg ? $"&SigAlg={rawSigAlg}" : "");

        return new RedirectMessage(parameterName, xml, rawRelayState is null ? null : WebUtility.UrlDecode(rawRelayState),
            hasSigAlg ? WebUtility.UrlDecode(rawSigAlg) : null, signature, signedContent);
    }

    /// <summary>True only when the message is signed with RSA-SHA256, -SHA384 or -SHA512 and the
    /// signature verifies with <paramref name="certificate"/>'s public key. Unsigned, SHA-1 and any
    /// other algorithm give false. The certificate must come from configuration, never from the message.</summary>
    public bool VerifySignature(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (signature is null) return false;
        HashAlgorithmName? hash = SignatureAlgorithm switch
        {
            SamlUris.RsaSha256 => HashAlgorithmName.SHA256,
            SamlUris.RsaSha384 => HashAlgorithmName.SHA384,
            SamlUris.RsaSha512 => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (hash is null) return false;
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(Encoding.UTF8.GetBytes(signedContent), signature, hash.Value, RSASignaturePadding.Pkcs1);
    }

    static string DecodeMessage(string base64, string parameterName, int maxInflatedBytes)
    {
        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{parameterName} is not base64.", e);
        }

        var inflated = RedirectDeflate.Inflate(compressed, maxInflatedBytes);
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(inflated);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException($"{parameterName} is not UTF-8.", e);
        }
    }
}
