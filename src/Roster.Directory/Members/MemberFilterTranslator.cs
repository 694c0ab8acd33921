using System.Globalization;
using Roster.Directory.Storage;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Directory.Members;

/// <summary>
/// Translates SCIM filters and sort keys over Users into SQL over the members table, so that the
/// database finds, counts and orders the matches: nothing loads an enterprise's members to filter
/// them in memory. Attributes with a column use it (and its index); every other attribute is read
/// from the stored resource, and a multi-valued one with an EXISTS over its elements.
/// </summary>
/// <remarks>
/// The rules are those of <see cref="ScimFilterEvaluator"/>, which the tests hold this translation
/// to: a comparison on several values is true when one value satisfies it (<c>ne</c> too); an
/// absent attribute satisfies no comparison but <c>eq null</c>; strings compare without regard to
/// case unless the attribute is caseExact. Each comparison yields true or false, never SQL's NULL,
/// so that <c>not</c> and <c>or</c> mean what SCIM says. The SQL may name
/// <see cref="SqlCondition.EnterpriseParameter"/>, which every query of the members table binds.
/// </remarks>
public sealed class MemberFilterTranslator(SqlDialect dialect)
{
    /// <summary>Filters read the search document (<see cref="SearchDocument"/>): case-insensitive
    /// strings are already lower-cased there, so they compare with lower-cased literals by plain
    /// equality, on both databases alike.</summary>
    const string Resource = "search";

    /// <summary>The attributes that are columns of the members table. A case-insensitive attribute
    /// is compared through its key column, which holds the lower-cased value.</summary>
    static readonly Dictionary<string, (string Column, ColumnKind Kind)> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["userName"] = ("user_name_key", ColumnKind.LowerCasedText),
        ["externalId"] = ("external_id", ColumnKind.Text),
        ["displayName"] = ("display_name_key", ColumnKind.LowerCasedText),
        ["id"] = ("id", ColumnKind.Text),
        ["active"] = ("active", ColumnKind.Boolean),
        ["meta.created"] = ("created_at", ColumnKind.Time),
        ["meta.lastModified"] = ("last_modified", ColumnKind.Time),
    };

    enum ColumnKind { Text, LowerCasedText, Boolean, Time, Number }

    /// <summary>A value SQL can compare: the expression, its kind, and whether text in it is compared
    /// without regard to case.</summary>
    readonly record struct Operand(string Sql, ColumnKind Kind, bool FoldCase);

    /// <summary>Where a path is read from: the member row, or (inside <c>attr[...]</c>) one complex
    /// value, given as the SQL expression of its JSON.</summary>
    readonly record struct Scope(string? Element);

    sealed class Context
    {
        public List<KeyValuePair<string, object?>> Parameters { get; } = [];
        public int Aliases;

        public string Add(object value)
        {
            var name = $"@f{Parameters.Count}";
            Parameters.Add(new(name, value));
            return name;
        }
    }

    public SqlCondition Translate(ScimFilter filter)
    {
        var context = new Context();
        var sql = Visit(filter, new Scope(null), context);
        return new SqlCondition(sql, context.Parameters) { OnePlan = IsKeyLookup(filter) };
    }

    /// <summary>An IdP's lookup of one person: <c>userName eq "…"</c> or <c>id eq "…"</c> (a unique
    /// index), or an email address (<c>emails.value eq "…"</c>, <c>emails[type eq "work"].value eq
    /// "…"</c>: the values index, by the address). One plan suits every value of these.</summary>
    static bool IsKeyLookup(ScimFilter filter) => filter switch
    {
        ComparisonFilter { Path: { IsExtension: false, SubAttribute: null } path } comparison when IsStringEquality(comparison) =>
            Columns.TryGetValue(path.Attribute.Name, out var column) && column.Column is "user_name_key" or "id",
        ComparisonFilter { Path: { IsExtension: false, SubAttribute.Name: "value" } path } comparison when IsStringEquality(comparison) =>
            IsEmails(path),
        ValuePathFilter { Path: { IsExtension: false, SubAttribute: null } path } valuePath =>
            IsEmails(path) && Equalities(valuePath.Filter) is { } names && names.Contains("value"),
        _ => false,
    };

    static bool IsStringEquality(ComparisonFilter comparison) => comparison is { Operator: ComparisonOperator.Equal, Value: StringLiteral };

    static bool IsEmails(AttributePath path) => string.Equals(path.Attribute.Name, "emails", StringComparison.OrdinalIgnoreCase);

    /// <summary>The sub-attributes an <c>and</c> of string equalities compares, or null for any other filter.</summary>
    static List<string>? Equalities(ScimFilter filter) => filter switch
    {
        ComparisonFilter comparison when IsStringEquality(comparison) => [comparison.Path.Attribute.Name],
        LogicalFilter { Operator: LogicalOperator.And } both when Equalities(both.Left) is { } left && Equalities(both.Right) is { } right => [.. left, .. right],
        _ => null,
    };

    /// <summary>The ORDER BY key for <c>sortBy</c> (RFC 7644 §3.4.2.3): a singular attribute; members
    /// without a value come last; ties keep the default order, which the caller appends.</summary>
    public string OrderBy(AttributePath path, SortOrder order) => Sort(path, order).OrderBy;

    public ListSort Sort(AttributePath path, SortOrder order)
    {
        if (path.IsMultiValued)
            throw ScimException.InvalidValue($"sortBy '{path}' names a multi-valued attribute; sort by a singular one.");
        return new ListSort(RootOperand(path).Sql, order == SortOrder.Descending);
    }

    string Visit(ScimFilter filter, Scope scope, Context context) => filter switch
    {
        LogicalFilter logical => $"({Visit(logical.Left, scope, context)} {(logical.Operator == LogicalOperator.And ? "AND" : "OR")} {Visit(logical.Right, scope, context)})",
        NotFilter not => $"(NOT {Visit(not.Operand, scope, context)})",
        PresentFilter present => OnValues(present.Path, scope, context, Present),
        ComparisonFilter { Value: NullLiteral } isNull => isNull.Operator == ComparisonOperator.NotEqual
            ? OnValues(isNull.Path, scope, context, Present)
            : $"(NOT {OnValues(isNull.Path, scope, context, Present)})",
        ComparisonFilter comparison when scope.Element is null && IndexedElement(comparison.Path, [comparison], context) is { } indexed => indexed,
        ComparisonFilter comparison => OnValues(comparison.Path, scope, context, (operand, ctx) => Compare(comparison, operand, ctx)),
        ValuePathFilter valuePath => ValuePath(valuePath, scope, context),
        _ => throw ScimException.InvalidFilter($"The filter '{filter}' is not supported."),
    };

    /// <summary>Applies <paramref name="test"/> to the values <paramref name="path"/> denotes: the one
    /// value of a singular attribute, or any value of a multi-valued one.</summary>
    string OnValues(AttributePath path, Scope scope, Context context, Func<Operand, Context, string> test)
    {
        if (scope.Element is { } element)
        {
            // Inside emails[...]: the path names a sub-attribute of the current element.
            return test(JsonOperand(element, [path.Attribute.Name], path.Attribute), context);
        }
        if (!path.Attribute.MultiValued) return test(RootOperand(path), context);
        if (path.Schema is null) throw ScimException.InvalidFilter($"Filtering Users on '{path}' is not supported.");

        var elementAlias = $"e{context.Aliases++}";
        var operand = path.SubAttribute is null
            ? new Operand(dialect.ElementText(elementAlias), KindOf(path.Attribute), !path.Attribute.CaseExact)
            : JsonOperand(dialect.ElementOf(elementAlias), [path.SubAttribute.Name], path.SubAttribute);
        return dialect.AnyElement(Resource, ContainerPath(path), elementAlias, test(operand, context));
    }

    string ValuePath(ValuePathFilter valuePath, Scope scope, Context context)
    {
        if (scope.Element is not null) throw ScimException.InvalidFilter("A value filter cannot be nested in another.");
        if (!valuePath.Path.Attribute.MultiValued)
        {
            // name[givenName eq "x"]: the single complex value is the one element.
            return Visit(valuePath.Filter, new Scope(dialect.JsonDocument(Resource, ContainerPath(valuePath.Path))), context);
        }
        if (IndexedElement(valuePath.Path, Conjuncts(valuePath.Filter), context) is { } indexed) return indexed;
        var alias = $"e{context.Aliases++}";
        var condition = Visit(valuePath.Filter, new Scope(dialect.ElementOf(alias)), context);
        return dialect.AnyElement(Resource, ContainerPath(valuePath.Path), alias, condition);
    }

    /// <summary>
    /// The lookups IdPs make by email and the like, <c>emails.value eq "x"</c> and
    /// <c>emails[type eq "work" and value eq "x"]</c>, answered from member_values and its index.
    /// Only equality on <c>value</c>, optionally with equality on <c>type</c>, qualifies: every other
    /// shape reads the stored resource, with the same result.
    /// </summary>
    string? IndexedElement(AttributePath attribute, IReadOnlyList<ScimFilter> conjuncts, Context context)
    {
        if (attribute.IsExtension || !MemberValue.IsIndexed(attribute.Attribute)) return null;
        string? value = null, type = null;
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is not ComparisonFilter { Operator: ComparisonOperator.Equal, Value: StringLiteral literal } comparison) return null;
            // At the root the path is attr.sub; inside attr[...] it is the sub-attribute itself.
            var sub = comparison.Path.Parent is null ? comparison.Path.SubAttribute : comparison.Path.Attribute;
            if (sub is null || comparison.Path.Parent is null && comparison.Path.Attribute != attribute.Attribute) return null;
            var folded = sub.CaseExact ? literal.Value : MemberColumns.Key(literal.Value);
            switch (sub.Name)
            {
                case "value" when value is null: value = folded; break;
                case "type" when type is null: type = folded; break;
                default: return null;
            }
        }
        if (value is null) return null;
        // An uncorrelated IN: both databases drive it from the member_values index, where SQLite would
        // run a correlated EXISTS once per member of the enterprise.
        var sql = $"members.id IN (SELECT mv.member_id FROM member_values mv WHERE mv.enterprise_id = {SqlCondition.EnterpriseParameter} " +
                  $"AND mv.attribute = {context.Add(attribute.Attribute.Name)} AND mv.value = {context.Add(value)}";
        if (type is not null) sql += $" AND mv.type = {context.Add(type)}";
        return sql + ")";
    }

    static IReadOnlyList<ScimFilter> Conjuncts(ScimFilter filter) => filter is LogicalFilter { Operator: LogicalOperator.And } and
        ? [.. Conjuncts(and.Left), .. Conjuncts(and.Right)]
        : [filter];

    Operand RootOperand(AttributePath path)
    {
        var name = path.SubAttribute is null ? path.Attribute.Name : $"{path.Attribute.Name}.{path.SubAttribute.Name}";
        if (!path.IsExtension && Columns.TryGetValue(name, out var column)) return new Operand(column.Column, column.Kind, FoldCase: false);
        if (path.Schema is null)
            throw ScimException.InvalidFilter($"Filtering Users on '{path}' is not supported.");
        var segments = ContainerPath(path).ToList();
        if (path.SubAttribute is not null) segments.Add(path.SubAttribute.Name);
        return JsonOperand(Resource, segments, path.Target);
    }

    Operand JsonOperand(string source, IReadOnlyList<string> segments, AttributeDefinition attribute) => KindOf(attribute) switch
    {
        ColumnKind.Boolean => new Operand(dialect.JsonBoolean(source, segments), ColumnKind.Boolean, false),
        ColumnKind.Number => new Operand(dialect.JsonNumber(source, segments), ColumnKind.Number, false),
        var kind => new Operand(dialect.JsonText(source, segments), kind, !attribute.CaseExact),
    };

    /// <summary>Where the attribute itself sits in the stored resource: under the extension's URN for
    /// an extension attribute.</summary>
    static IReadOnlyList<string> ContainerPath(AttributePath path) =>
        path.IsExtension && path.Schema is not null ? [path.Schema.Id, path.Attribute.Name] : [path.Attribute.Name];

    static ColumnKind KindOf(AttributeDefinition attribute) => attribute.Type switch
    {
        AttributeType.Boolean => ColumnKind.Boolean,
        AttributeType.Integer or AttributeType.Decimal => ColumnKind.Number,
        _ => ColumnKind.Text,
    };

    string Present(Operand operand, Context context) =>
        SqlComparison.Present(operand.Sql, operand.Kind is ColumnKind.Text or ColumnKind.LowerCasedText);

    string Compare(ComparisonFilter comparison, Operand operand, Context context)
    {
        var op = comparison.Operator;
        var column = operand.Sql;
        object value = operand.Kind switch
        {
            ColumnKind.Boolean => comparison.Value is BooleanLiteral b && op is ComparisonOperator.Equal or ComparisonOperator.NotEqual
                ? b.Value
                : throw ScimException.InvalidFilter($"'{comparison.Path}' is a boolean: compare it with eq or ne and true or false."),
            ColumnKind.Number => comparison.Value is NumberLiteral n && !op.IsSubstring()
                ? dialect.NumberParameter(n.Value)
                : throw ScimException.InvalidFilter($"'{comparison.Path}' is a number: compare it with a number."),
            ColumnKind.Time => comparison.Value is StringLiteral s && DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) && !op.IsSubstring()
                ? time.ToUnixTimeMilliseconds()
                : throw ScimException.InvalidFilter($"'{comparison.Path}' is a dateTime: compare it with eq, ne, gt, ge, lt or le and a value such as \"2026-01-31T00:00:00Z\"."),
            _ => comparison.Value is StringLiteral text
                ? operand.Kind == ColumnKind.LowerCasedText || operand.FoldCase ? MemberColumns.Key(text.Value) : text.Value
                : throw ScimException.InvalidFilter($"'{comparison.Path}' is a string: compare it with a quoted value."),
        };

        return SqlComparison.Build(dialect, column, op, context.Add(value));
    }
}
