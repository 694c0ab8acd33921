namespace Roster.Scim.Text;

/// <summary>How Roster compares text that SCIM says is not case-exact (userName, emails, displayName).</summary>
public static class ScimText
{
    /// <summary>
    /// The comparison key of a case-insensitive value: lower-cased by the invariant culture, then in
    /// Unicode normalization form C. "José" typed on a Mac (e + U+0301) and on Windows (é, U+00E9) is
    /// one person; one key for both keeps the database's unique index deciding uniqueness. The same in
    /// every process and in both databases, because the database only compares keys Roster computed.
    /// </summary>
    /// <remarks>Normalized by <see cref="CanonicalComposition"/> (the runtime's own does nothing in
    /// globalization-invariant mode). A lone surrogate is passed through as it is; request bodies and URLs
    /// holding one are refused before they get here (<see cref="IsAcceptable"/>).</remarks>
    public static string Fold(string value)
    {
        // Composed before lower-casing as well as after: a capital that exists only composed (Å from
        // A + U+030A) lower-cases only once it exists.
        return CanonicalComposition.Normalize(CanonicalComposition.Normalize(value).ToLowerInvariant());
    }

    /// <summary>Whether a text from a request may be stored and compared: no NUL (PostgreSQL text cannot
    /// hold it, and no name has it) and no lone surrogate (it has no UTF-8 form).</summary>
    public static bool IsAcceptable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0') return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }
}
