using BenchmarkDotNet.Attributes;
using Roster.Directory.Members;
using Roster.Directory.Storage;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;

namespace Roster.Micro;

/// <summary>Every list request parses its filter and translates it to SQL: the filters IdPs send most.</summary>
[MemoryDiagnoser]
public class FilterBenchmarks : IVerifiedBenchmark
{
    const string UserNameEq = "userName eq \"jane.doe@acme.example\"";
    const string WorkEmailEq = "emails[type eq \"work\"].value eq \"jane.doe@acme.example\"";
    const string Compound = "(name.familyName sw \"Do\" or title co \"engineer\") and active eq true and meta.lastModified gt \"2026-01-01T00:00:00Z\"";

    readonly MemberFilterTranslator translator = new(SqliteDialect.Instance);
    readonly ScimFilter userNameFilter = ScimFilterParser.Parse(UserNameEq, ScimSchemas.UserResourceType);
    readonly ScimFilter workEmailFilter = ScimFilterParser.Parse(WorkEmailEq, ScimSchemas.UserResourceType);

    [Benchmark] public ScimFilter ParseUserNameEq() => ScimFilterParser.Parse(UserNameEq, ScimSchemas.UserResourceType);
    [Benchmark] public ScimFilter ParseWorkEmailEq() => ScimFilterParser.Parse(WorkEmailEq, ScimSchemas.UserResourceType);
    [Benchmark] public ScimFilter ParseCompound() => ScimFilterParser.Parse(Compound, ScimSchemas.UserResourceType);
    [Benchmark] public SqlCondition TranslateUserNameEq() => translator.Translate(userNameFilter);
    [Benchmark] public SqlCondition TranslateWorkEmailEq() => translator.Translate(workEmailFilter);

    public void Verify()
    {
        Check.That(ParseUserNameEq().ToString()!.Contains("jane.doe@acme.example", StringComparison.Ordinal), "userName eq keeps its value");
        Check.That(ParseCompound().ToString()!.Contains("familyName", StringComparison.Ordinal), "the compound filter keeps its first attribute");
        var byUserName = TranslateUserNameEq();
        Check.That(byUserName.Sql.Contains("user_name_key", StringComparison.Ordinal), $"userName eq compares the indexed key: {byUserName.Sql}");
        Check.That(byUserName.Parameters.Any(p => Equals(p.Value, "jane.doe@acme.example")), "userName eq passes the folded value as a parameter");
        var byEmail = TranslateWorkEmailEq();
        Check.That(byEmail.Sql.Contains("member_values", StringComparison.Ordinal), $"a work email is found in member_values: {byEmail.Sql}");
    }
}
