using System.Globalization;
using System.Text;
using Roster.Scim.Errors;

namespace Roster.Scim.Filtering;

/// <summary>
/// Splits filter and path text into tokens on demand. Strings follow JSON (RFC 7644 §3.4.2.2 says
/// <c>compValue</c> is a JSON string, number or literal), so the JSON escapes are honoured; any other
/// character run is a word and the parser decides what it means.
/// </summary>
internal sealed class FilterTokenizer(string text, Func<string, ScimException> error)
{
    int _position;

    public FilterToken Next()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position])) _position++;
        if (_position >= text.Length) return new FilterToken(FilterTokenKind.End, text.Length, 0, "");

        var start = _position;
        var c = text[start];
        switch (c)
        {
            case '(': _position++; return new FilterToken(FilterTokenKind.OpenParen, start, 1, "(");
            case ')': _position++; return new FilterToken(FilterTokenKind.CloseParen, start, 1, ")");
            case '[': _position++; return new FilterToken(FilterTokenKind.OpenBracket, start, 1, "[");
            case ']': _position++; return new FilterToken(FilterTokenKind.CloseBracket, start, 1, "]");
            case '"': return ReadString(start);
        }
        while (_position < text.Length && !EndsWord(text[_position])) _position++;
        return new FilterToken(FilterTokenKind.Word, start, _position - start, text[start.._position]);
    }

    static bool EndsWord(char c) => char.IsWhiteSpace(c) || c is '(' or ')' or '[' or ']' or '"';

    FilterToken ReadString(int start)
    {
        // Most literals have no escapes: take a substring then, and only build when a backslash shows up.
        var i = start + 1;
        StringBuilder? builder = null;
        var runStart = i;
        while (true)
        {
            if (i >= text.Length)
            {
                throw error($"Unterminated string starting at position {start}: expected a closing '\"'");
            }
            var c = text[i];
            if (c == '"') break;
            if (c != '\\') { i++; continue; }

            builder ??= new StringBuilder();
            builder.Append(text, runStart, i - runStart);
            if (i + 1 >= text.Length)
            {
                throw error($"Unterminated string starting at position {start}: expected a closing '\"'");
            }
            var escape = text[i + 1];
            switch (escape)
            {
                case '"': builder.Append('"'); i += 2; break;
                case '\\': builder.Append('\\'); i += 2; break;
                case '/': builder.Append('/'); i += 2; break;
                case 'b': builder.Append('\b'); i += 2; break;
                case 'f': builder.Append('\f'); i += 2; break;
                case 'n': builder.Append('\n'); i += 2; break;
                case 'r': builder.Append('\r'); i += 2; break;
                case 't': builder.Append('\t'); i += 2; break;
                case 'u':
                    if (i + 6 > text.Length
                        || !ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw error($"Invalid escape sequence at position {i}: '\\u' must be followed by four hexadecimal digits");
                    }
                    builder.Append((char)code);
                    i += 6;
                    break;
                default:
                    throw error($"Invalid escape sequence '\\{escape}' at position {i}: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
            }
            runStart = i;
        }

        string value;
        if (builder is null)
        {
            value = text[(start + 1)..i];
        }
        else
        {
            builder.Append(text, runStart, i - runStart);
            value = builder.ToString();
        }
        _position = i + 1;
        return new FilterToken(FilterTokenKind.String, start, _position - start, value);
    }
}
