using System.Globalization;
using Roster.Scim.Errors;
using Roster.Scim.Schema;

namespace Roster.Scim.Filtering;

/// <summary>
/// Recursive-descent parser for the RFC 7644 §3.4.2.2 filter grammar and the §3.5.2 PATCH path grammar,
/// which share attribute paths and value filters. One instance parses one text.
/// <code>
/// filter     = or
/// or         = and *("or" and)
/// and        = unary *("and" unary)
/// unary      = "not" "(" or ")" / "(" or ")" / attrExp
/// attrExp    = attrPath "[" or "]" [ ".subAttr" (comparison / "pr") ]   ; value filter
///            / attrPath (compareOp compValue / "pr")
/// patchPath  = attrPath [ "[" or "]" [ ".subAttr" ] ]
/// </code>
/// Keywords and operators are case-insensitive. Every error names the zero-based character position and
/// what was expected there.
/// </summary>
internal sealed class FilterParser
{
    /// <summary>Longer texts are refused before parsing: no real client sends them, and the bound keeps
    /// the syntax tree (whose and/or chains grow one level per term) small enough to walk recursively.</summary>
    public const int MaxLength = 8192;

    /// <summary>Parentheses, <c>not</c> and value filters may nest this deep; beyond it the text is refused
    /// rather than risking a stack overflow on hostile input.</summary>
    public const int MaxDepth = 50;

    const string OperatorList = "a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or pr";
    const string ValueList = "a value (a quoted string, a number, true, false or null)";

    readonly string _text;
    readonly string _subject;
    readonly ResourceTypeDefinition _type;
    readonly Func<string, ScimException> _error;
    readonly FilterTokenizer _tokens;
    FilterToken _current;
    int _depth;

    /// <param name="subject">"filter" or "path": the word used in messages about the text as a whole.</param>
    public FilterParser(string? text, ResourceTypeDefinition type, string subject, Func<string, ScimException> error)
    {
        _text = text ?? "";
        _subject = subject;
        _type = type;
        _error = error;
        if (string.IsNullOrWhiteSpace(_text)) throw error($"The {subject} is empty");
        if (_text.Length > MaxLength)
        {
            throw error($"The {subject} is {_text.Length} characters long; at most {MaxLength} are accepted");
        }
        _tokens = new FilterTokenizer(_text, error);
        _current = _tokens.Next();
    }

    public ScimFilter ParseFilter()
    {
        var filter = ParseOr(scope: null);
        if (_current.Kind == FilterTokenKind.CloseParen)
        {
            throw _error($"Unmatched ')' at position {_current.Position}: there is no '(' to close");
        }
        if (_current.Kind != FilterTokenKind.End) throw Unexpected("'and', 'or' or the end of the filter");
        return filter;
    }

    public PatchPath ParsePatchPath()
    {
        if (_current.Kind != FilterTokenKind.Word) throw Unexpected("an attribute path");
        var pathToken = _current;
        Advance();
        var path = AttributePathResolver.Resolve(pathToken.Text, pathToken.Position, _type, _error);

        ScimFilter? valueFilter = null;
        AttributeDefinition? subAttribute = null;
        if (_current.Kind == FilterTokenKind.OpenBracket)
        {
            if (path.SubAttribute is not null || !path.Attribute.IsComplex || !path.Attribute.MultiValued)
            {
                throw _error($"A value filter at position {_current.Position} needs a multi-valued complex attribute, and '{path}' is not one");
            }
            valueFilter = ParseBracketedValueFilter(path);
            if (_current.Kind == FilterTokenKind.Word && _current.Text.StartsWith('.'))
            {
                subAttribute = AttributePathResolver.ResolveSubAttribute(path.Attribute, _current.Text[1..], _current.Position + 1, _error);
                Advance();
            }
        }
        if (_current.Kind != FilterTokenKind.End)
        {
            throw Unexpected(valueFilter is null ? "'[' or the end of the path" : "'.subAttribute' or the end of the path");
        }
        return new PatchPath(path, valueFilter, subAttribute);
    }

    ScimFilter ParseOr(AttributePath? scope)
    {
        var left = ParseAnd(scope);
        while (_current.IsWord("or"))
        {
            Advance();
            left = new LogicalFilter(LogicalOperator.Or, left, ParseAnd(scope));
        }
        return left;
    }

    ScimFilter ParseAnd(AttributePath? scope)
    {
        var left = ParseUnary(scope);
        while (_current.IsWord("and"))
        {
            Advance();
            left = new LogicalFilter(LogicalOperator.And, left, ParseUnary(scope));
        }
        return left;
    }

    ScimFilter ParseUnary(AttributePath? scope)
    {
        if (_current.Kind == FilterTokenKind.OpenParen)
        {
            Enter();
            Advance();
            var inner = ParseOr(scope);
            Expect(FilterTokenKind.CloseParen, "')'");
            Leave();
            return inner;
        }
        // No attribute is called "not", so the word is always the keyword; RFC 7644 requires the parentheses.
        if (_current.IsWord("not"))
        {
            Advance();
            if (_current.Kind != FilterTokenKind.OpenParen) throw Unexpected("'(' after 'not'");
            Enter();
            Advance();
            var operand = ParseOr(scope);
            Expect(FilterTokenKind.CloseParen, "')'");
            Leave();
            return new NotFilter(operand);
        }
        if (_current.Kind == FilterTokenKind.Word) return ParseAttributeExpression(scope);
        throw Unexpected("an attribute path, '(' or 'not'");
    }

    ScimFilter ParseAttributeExpression(AttributePath? scope)
    {
        var pathToken = _current;
        Advance();
        if (_current.Kind == FilterTokenKind.OpenBracket)
        {
            if (scope is not null)
            {
                throw _error($"A value filter cannot contain another value filter ('[' at position {_current.Position})");
            }
            var path = AttributePathResolver.Resolve(pathToken.Text, pathToken.Position, _type, _error);
            if (path.SubAttribute is not null || !path.Attribute.IsComplex)
            {
                throw _error($"A value filter at position {_current.Position} needs a complex attribute, and '{path}' is not one");
            }
            var inner = ParseBracketedValueFilter(path);
            // Entra's form emails[type eq "work"].value eq "x" asks for one element satisfying both, which
            // is exactly emails[type eq "work" and value eq "x"]; folding it keeps the tree to RFC shapes.
            if (_current.Kind == FilterTokenKind.Word && _current.Text.StartsWith('.'))
            {
                var subToken = _current;
                Advance();
                var relative = AttributePathResolver.ResolveRelative(subToken.Text[1..], subToken.Position + 1, path, _error);
                inner = new LogicalFilter(LogicalOperator.And, inner, ParseComparisonTail(relative));
            }
            return new ValuePathFilter(path, inner);
        }

        var attributePath = scope is null
            ? AttributePathResolver.Resolve(pathToken.Text, pathToken.Position, _type, _error)
            : AttributePathResolver.ResolveRelative(pathToken.Text, pathToken.Position, scope, _error);
        return ParseComparisonTail(attributePath);
    }

    ScimFilter ParseBracketedValueFilter(AttributePath path)
    {
        Enter();
        Advance();
        var inner = ParseOr(path);
        Expect(FilterTokenKind.CloseBracket, "']'");
        Leave();
        return inner;
    }

    /// <summary>Parses <c>pr</c> or <c>compareOp compValue</c> after a path.</summary>
    ScimFilter ParseComparisonTail(AttributePath path)
    {
        if (_current.Kind != FilterTokenKind.Word) throw Unexpected(OperatorList);
        if (_current.IsWord("pr"))
        {
            Advance();
            return new PresentFilter(path);
        }
        if (!ComparisonOperators.TryParse(_current.Text, out var op)) throw Unexpected(OperatorList);
        var operatorToken = _current;
        Advance();

        var literalToken = _current;
        var literal = ParseLiteral();
        Advance();
        return BuildComparison(path, op, operatorToken, literal, literalToken);
    }

    FilterLiteral ParseLiteral()
    {
        if (_current.Kind == FilterTokenKind.String) return new StringLiteral(_current.Text);
        if (_current.Kind != FilterTokenKind.Word) throw Unexpected(ValueList);
        var word = _current.Text;
        if (word.Equals("true", StringComparison.OrdinalIgnoreCase)) return new BooleanLiteral(true);
        if (word.Equals("false", StringComparison.OrdinalIgnoreCase)) return new BooleanLiteral(false);
        if (word.Equals("null", StringComparison.OrdinalIgnoreCase)) return NullLiteral.Instance;
        if (IsJsonNumber(word))
        {
            if (!decimal.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                throw _error($"Number {word} at position {_current.Position} is out of range");
            }
            return new NumberLiteral(number);
        }
        throw Unexpected(ValueList);
    }

    /// <summary>
    /// Applies the type rules of RFC 7644 §3.4.2.2 at parse time, so a bad filter is a 400 with a position
    /// instead of a silent mismatch, and coerces the literal to the attribute's type so consumers see one
    /// literal kind per attribute type. Choices: gt/ge/lt/le on boolean and binary attributes are refused
    /// (the RFC says so); co/sw/ew need a string-like attribute; a number given for a string attribute is
    /// compared as its text (<c>externalId eq 12345</c>); "true"/"false" strings are accepted for booleans,
    /// as Entra writes booleans as strings elsewhere.
    /// </summary>
    ComparisonFilter BuildComparison(AttributePath path, ComparisonOperator op, FilterToken operatorToken, FilterLiteral literal, FilterToken literalToken)
    {
        if (path.Target.IsComplex)
        {
            // RFC 7644's own example `emails co "example.com"` compares a multi-valued complex attribute
            // directly; where the attribute has a "value" sub-attribute that is what it means.
            var valueSubAttribute = path.Target.FindSubAttribute("value");
            if (path.SubAttribute is null && path.Attribute.MultiValued && valueSubAttribute is not null)
            {
                path = path with { SubAttribute = valueSubAttribute };
            }
            else
            {
                throw _error($"Attribute '{path}' is complex and cannot be compared to a value (operator '{operatorToken.Text}' at position {operatorToken.Position}); compare one of its sub-attributes, e.g. '{path}.{path.Target.SubAttributes[0].Name}'");
            }
        }

        var target = path.Target;
        var opText = operatorToken.Text;
        if (literal is NullLiteral)
        {
            if (op is ComparisonOperator.Equal or ComparisonOperator.NotEqual) return new ComparisonFilter(path, op, literal);
            throw _error($"Operator '{opText}' at position {operatorToken.Position} cannot compare with null; only eq and ne can");
        }

        switch (target.Type)
        {
            case AttributeType.Boolean:
                if (op is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual))
                {
                    throw _error($"Operator '{opText}' at position {operatorToken.Position} cannot be applied to boolean attribute '{path}'; only eq and ne can");
                }
                literal = literal switch
                {
                    BooleanLiteral => literal,
                    StringLiteral { Value: var s } when bool.TryParse(s.Trim(), out var b) => new BooleanLiteral(b),
                    _ => throw LiteralMismatch(path, "true or false", literalToken),
                };
                break;

            case AttributeType.Integer:
            case AttributeType.Decimal:
                if (op.IsSubstring())
                {
                    throw _error($"Operator '{opText}' at position {operatorToken.Position} cannot be applied to numeric attribute '{path}'");
                }
                if (literal is not NumberLiteral) throw LiteralMismatch(path, "a number", literalToken);
                break;

            case AttributeType.DateTime:
                if (literal is not StringLiteral dateText) throw LiteralMismatch(path, "a quoted dateTime such as \"2011-05-13T04:42:34Z\"", literalToken);
                if (!op.IsSubstring() && !ScimDateTimes.TryParse(dateText.Value, out _))
                {
                    throw _error($"Value {literal} at position {literalToken.Position} is not a valid dateTime for attribute '{path}'; expected e.g. \"2011-05-13T04:42:34Z\"");
                }
                break;

            case AttributeType.Binary when op.IsOrdering():
                throw _error($"Operator '{opText}' at position {operatorToken.Position} cannot be applied to binary attribute '{path}'");

            default:
                literal = literal switch
                {
                    StringLiteral => literal,
                    NumberLiteral => new StringLiteral(_text.Substring(literalToken.Position, literalToken.Length)),
                    _ => throw LiteralMismatch(path, "a quoted string", literalToken),
                };
                break;
        }
        return new ComparisonFilter(path, op, literal);
    }

    ScimException LiteralMismatch(AttributePath path, string expected, FilterToken literalToken) =>
        _error($"Value '{_text.Substring(literalToken.Position, literalToken.Length)}' at position {literalToken.Position} does not fit {path.Target.Type.ToString().ToLowerInvariant()} attribute '{path}': expected {expected}");

    /// <summary>JSON number syntax: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    static bool IsJsonNumber(string word)
    {
        var i = 0;
        if (i < word.Length && word[i] == '-') i++;
        if (i >= word.Length || !char.IsAsciiDigit(word[i])) return false;
        if (word[i] == '0') i++;
        else while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
        if (i < word.Length && word[i] == '.')
        {
            i++;
            if (i >= word.Length || !char.IsAsciiDigit(word[i])) return false;
            while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
        }
        if (i < word.Length && word[i] is 'e' or 'E')
        {
            i++;
            if (i < word.Length && word[i] is '+' or '-') i++;
            if (i >= word.Length || !char.IsAsciiDigit(word[i])) return false;
            while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
        }
        return i == word.Length;
    }

    void Advance() => _current = _tokens.Next();

    void Expect(FilterTokenKind kind, string description)
    {
        if (_current.Kind != kind) throw Unexpected(description);
        Advance();
    }

    void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw _error($"The {_subject} nests deeper than {MaxDepth} levels at position {_current.Position}");
        }
    }

    void Leave() => _depth--;

    ScimException Unexpected(string expected) =>
        _current.Kind == FilterTokenKind.End
            ? _error($"Unexpected end of {_subject} at position {_current.Position}: expected {expected}")
            : _error($"Unexpected {_current.Describe(_text)} at position {_current.Position}: expected {expected}");
}
