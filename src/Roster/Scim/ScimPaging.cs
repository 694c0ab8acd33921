using System.Globalization;
using Roster.Scim.Errors;

namespace Roster.Scim;

/// <summary>startIndex and count (RFC 7644 §3.4.2.4): 1-based, a start below 1 is 1, a negative count
/// is 0, and a count above the advertised maximum is that maximum.</summary>
internal readonly record struct ScimPaging(int StartIndex, int Count)
{
    public const int DefaultCount = 100;
    public const int MaxCount = 1000;

    public static ScimPaging From(IQueryCollection query)
    {
        var start = ReadInteger(query, "startIndex") ?? 1;
        var count = ReadInteger(query, "count") ?? DefaultCount;
        return new ScimPaging((int)Math.Clamp(start, 1, int.MaxValue), (int)Math.Clamp(count, 0, MaxCount));
    }

    static long? ReadInteger(IQueryCollection query, string name)
    {
        foreach (var (key, values) in query)
        {
            if (!string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) continue;
            var text = values.ToString().Trim();
            if (text.Length == 0) return null;
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
            // Huge numbers are still numbers: clamp rather than refuse.
            if (text.TrimStart('-', '+').All(char.IsAsciiDigit)) return text.StartsWith('-') ? long.MinValue : long.MaxValue;
            throw ScimException.InvalidValue($"'{name}' must be an integer, not '{text}'.");
        }
        return null;
    }
}
