using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Roster.Scim.Logging;

/// <summary>
/// Removes passwords and tokens from a SCIM message before it is kept for the provisioning log. A
/// JSON body loses the value of every attribute named like a secret (<c>password</c> in any case, at
/// any depth, and token-like names), the value of a PATCH operation whose path names one, and any
/// string value that is itself a bearer token or JWT; then it is pretty-printed. A body that is not
/// JSON is kept up to the cap with <c>password=…</c> style content masked. Either is cut at the cap.
/// </summary>
public static partial class MessageRedactor
{
    /// <summary>What stands in place of a removed value.</summary>
    public const string Removed = "[removed]";

    /// <summary>The default cap: a SCIM User is a few KiB; more is noise in a log.</summary>
    public const int DefaultMaxChars = 16 * 1024;

    const int MaxDepth = 64;

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static RedactedMessage Redact(ReadOnlySpan<byte> utf8, int maxChars = DefaultMaxChars)
    {
        if (utf8.IsEmpty) return new RedactedMessage("", false);
        if (TryParse(utf8) is { } node) return Cap(Serialize(node), maxChars);
        // Not JSON: decoded leniently (invalid bytes become U+FFFD), and only a little more than the
        // cap is looked at, so a megabyte of junk costs no more than a page.
        var window = utf8.Length > maxChars * 4 + 4 ? utf8[..(maxChars * 4 + 4)] : utf8;
        return MaskText(Encoding.UTF8.GetString(window), maxChars, utf8.Length > window.Length);
    }

    public static RedactedMessage Redact(string text, int maxChars = DefaultMaxChars)
    {
        if (text.Length == 0) return new RedactedMessage("", false);
        if (text.Length <= maxChars * 64)
        {
            try
            {
                if (JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth }) is { } node && node is JsonObject or JsonArray)
                    return Cap(Serialize(node), maxChars);
            }
            catch (JsonException)
            {
                // Not JSON: masked as text below.
            }
        }
        var window = text.Length > maxChars + 1024 ? text[..(maxChars + 1024)] : text;
        return MaskText(window, maxChars, window.Length < text.Length);
    }

    /// <summary>Whether an attribute of this name holds a secret: <c>password</c> in any case (SCIM's
    /// own, and any extension's), and the usual names of tokens, keys and secrets.</summary>
    public static bool IsSecretName(string name)
    {
        var n = name.ToLowerInvariant();
        // An extension attribute may arrive fully qualified: urn:…:User:password.
        var colon = n.LastIndexOf(':');
        if (colon >= 0) n = n[(colon + 1)..];
        var dot = n.LastIndexOf('.');
        if (dot >= 0) n = n[(dot + 1)..];
        return n.Contains("password", StringComparison.Ordinal) || n is "pwd" or "passwd" or "pass" or "pin"
            || n.Contains("secret", StringComparison.Ordinal) || n.Contains("token", StringComparison.Ordinal)
            || n.Contains("apikey", StringComparison.Ordinal) || n.Contains("api_key", StringComparison.Ordinal)
            || n is "authorization" or "credential" or "credentials" or "privatekey" or "private_key";
    }

    static JsonNode? TryParse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
            return node is JsonObject or JsonArray ? node : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null; // invalid UTF-8
        }
    }

    static string Serialize(JsonNode node)
    {
        RedactNode(node);
        return node.ToJsonString(Indented);
    }

    static void RedactNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                // A PATCH operation on a secret: {"op":"replace","path":"password","value":"…"}.
                var pathNamesSecret = obj.FirstOrDefault(p => string.Equals(p.Key, "path", StringComparison.OrdinalIgnoreCase)).Value is JsonValue path
                    && path.TryGetValue<string>(out var pathText) && IsSecretName(pathText);
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (IsSecretName(key) || (pathNamesSecret && string.Equals(key, "value", StringComparison.OrdinalIgnoreCase)))
                    {
                        if (obj[key] is not null) obj[key] = Removed;
                    }
                    else if (obj[key] is JsonValue value && value.TryGetValue<string>(out var text) && LooksLikeToken(text))
                    {
                        obj[key] = Removed;
                    }
                    else
                    {
                        RedactNode(obj[key]);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text) && LooksLikeToken(text)) array[i] = Removed;
                    else RedactNode(array[i]);
                }
                break;
        }
    }

    /// <summary>A string that is a credential whatever its attribute: a bearer header, a JWT, a Roster token.</summary>
    static bool LooksLikeToken(string text) => BearerValue().IsMatch(text) || Jwt().IsMatch(text) || RosterToken().IsMatch(text);

    static RedactedMessage MaskText(string text, int maxChars, bool alreadyCut)
    {
        // A broken body may hold NUL bytes; the log keeps text, and PostgreSQL text cannot hold NUL
        // (the entry was lost with it).
        text = text.Replace('\0', '\uFFFD');
        // Masked before and after cutting: a secret that straddles the cut is matched to the end.
        var masked = Mask(text);
        var truncated = alreadyCut || masked.Length > maxChars;
        if (masked.Length > maxChars) masked = Mask(masked[..maxChars]);
        return new RedactedMessage(masked, truncated);
    }

    static string Mask(string text)
    {
        text = SecretAssignment().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Removed);
        text = BearerValue().Replace(text, "Bearer " + Removed);
        text = Jwt().Replace(text, Removed);
        return RosterToken().Replace(text, Removed);
    }

    static RedactedMessage Cap(string text, int maxChars) =>
        text.Length <= maxChars ? new RedactedMessage(text, false) : new RedactedMessage(text[..maxChars], true);

    // name = value, name: value, "name": "value", name=value&…, Authorization: Bearer value — the value
    // runs to the next quote, or to whitespace or a separator when unquoted. The name's letters around
    // the keyword are bounded: unbounded, a long run of letters (64 KiB of "xxx…" in a broken body)
    // made every start position scan to the run's end and back, and the request never finished.
    [GeneratedRegex("""(?<name>[A-Za-z_\-]{0,64}(?:password|passwd|pwd|secret|token|api[_\-]?key|authorization)[A-Za-z_\-]{0,64})(?<sep>["']?\s*[:=]\s*)(?:(?:Bearer|Basic)\s+)?(?:"(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s&,;}\]"']+)""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"\bBearer\s+[A-Za-z0-9\-._~+/=]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerValue();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    // Roster's own secrets (SCIM tokens and sessions) have these prefixes.
    [GeneratedRegex(@"\br(?:st|cs|ss)_[A-Za-z0-9_\-]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex RosterToken();
}
