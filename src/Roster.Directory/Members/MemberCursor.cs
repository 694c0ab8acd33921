using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Roster.Scim.Errors;

namespace Roster.Directory.Members;

/// <summary>
/// A position in the default order of a listing (creation time, then id), for cursor paging (RFC
/// 9865). A cursor is the key of the row next to the page it points from, so reading the page after
/// it is one index seek, at the end of 100,000 members as at the start; nothing is kept on the
/// server, so a cursor does not expire. It names the query it belongs to, and is refused with any
/// other: a cursor is a position in one result, not in another.
/// </summary>
public sealed record MemberCursor(long CreatedAt, string Id, bool Backward, string Query)
{
    public const string InvalidCursor = "invalidCursor";

    sealed record Wire(long c, string i, bool b, string q);

    public string Encode() =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Wire(CreatedAt, Id, Backward, Query)));

    public static MemberCursor Decode(string text, string query)
    {
        Wire? wire = null;
        try
        {
            if (text.Length <= 1000) wire = JsonSerializer.Deserialize<Wire>(Base64Url.DecodeFromChars(text));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
        }
        if (wire is null || string.IsNullOrEmpty(wire.i))
            throw ScimException.BadRequest(InvalidCursor, "The cursor is not one this server gave out.");
        if (wire.q != query)
            throw ScimException.BadRequest(InvalidCursor, "The cursor belongs to another query: page with the filter and sort it was given for.");
        return new MemberCursor(wire.c, wire.i, wire.b, wire.q);
    }

    /// <summary>A short fingerprint of a query's filter and order, to tie cursors to it.</summary>
    public static string Fingerprint(string? filter, string? orderBy) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{filter}\u0000{orderBy}")))[..16];
}

/// <summary>A page read by cursor, with the cursors of the pages on either side (null at an end).</summary>
public sealed record MemberCursorPage(long Total, List<Member> Page, string? NextCursor, string? PreviousCursor);
