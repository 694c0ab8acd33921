namespace Roster.AdminConsole;

/// <summary>
/// One cell of a CSV file (RFC 4180) that a spreadsheet opens safely: quoted when it holds a comma,
/// quote or line break, and a text starting with = + - @ (or tab, carriage return) prefixed with an
/// apostrophe, so that a userName an IdP sent cannot become a formula in the admin's spreadsheet.
/// </summary>
internal static class CsvCell
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
