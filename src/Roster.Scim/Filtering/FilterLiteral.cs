using System.Globalization;
using System.Text;

namespace Roster.Scim.Filtering;

/// <summary>
/// The value on the right of a comparison (RFC 7644 §3.4.2.2 <c>compValue</c>). The parser has already
/// coerced it to the attribute's type, so a consumer (the evaluator, the SQL translator) can rely on:
/// string-like attributes (string, reference, binary, dateTime) get <see cref="StringLiteral"/>, boolean
/// attributes get <see cref="BooleanLiteral"/>, integer and decimal attributes get <see cref="NumberLiteral"/>,
/// and <see cref="NullLiteral"/> only appears with <c>eq</c> and <c>ne</c>.
/// </summary>
public abstract record FilterLiteral;

public sealed record StringLiteral(string Value) : FilterLiteral
{
    public override string ToString() => Quote(Value);

    /// <summary>The value as a filter string literal, with JSON escapes.</summary>
    internal static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('"').ToString();
    }
}

/// <summary>A JSON number. Held as <see cref="decimal"/> so that integers up to 28 digits and decimal
/// fractions compare exactly; numbers outside that range are rejected by the parser.</summary>
public sealed record NumberLiteral(decimal Value) : FilterLiteral
{
    public bool IsInteger => decimal.Truncate(Value) == Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record BooleanLiteral(bool Value) : FilterLiteral
{
    public override string ToString() => Value ? "true" : "false";
}

/// <summary><c>null</c>: with <c>eq</c> it matches an attribute that has no value; with <c>ne</c>, one that has.</summary>
public sealed record NullLiteral : FilterLiteral
{
    public static readonly NullLiteral Instance = new();

    NullLiteral() { }

    public override string ToString() => "null";
}
