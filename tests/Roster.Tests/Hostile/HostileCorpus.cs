namespace Roster.Tests.Hostile;

/// <summary>Requests as Okta and Entra send them (their shapes as in the lifecycle tests): the seeds
/// every mutation starts from, so that the fuzzing reaches past the first check of each parser.</summary>
public static class HostileCorpus
{
    public const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string GroupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string EnterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string PatchUrn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string BulkUrn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    public const string SearchUrn = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

    public static string OktaUser(string userName) => $$"""
        {"schemas":["{{UserUrn}}"],"userName":"{{userName}}","name":{"givenName":"Ann","familyName":"Lee"},
         "emails":[{"primary":true,"value":"{{userName}}","type":"work"}],"displayName":"Ann Lee","locale":"en-US",
         "externalId":"00u1abcd{{userName.Length}}","groups":[],"password":"Secret-1","active":true }
        """;

    public static string EntraUser(string userName) => $$"""
        {"schemas":["{{UserUrn}}","{{EnterpriseUrn}}"],"externalId":"b1e2{{userName.Length}}","userName":"{{userName}}","active":true,
         "displayName":"Bo Yang","title":"Engineer","emails":[{"primary":true,"type":"work","value":"{{userName}}"}],
         "preferredLanguage":"en-US","name":{"formatted":"Bo Yang","familyName":"Yang","givenName":"Bo"},
         "addresses":[{"type":"work","streetAddress":"1 Main St","locality":"Oslo","country":"NO","primary":true}],
         "phoneNumbers":[{"type":"work","value":"+47 1234"}],
         "{{EnterpriseUrn}}":{"employeeNumber":"42","department":"R&D","manager":{"value":"m-1"} } }
        """;

    public static string Group(string displayName, params string[] memberIds) => $$"""
        {"schemas":["{{GroupUrn}}"],"displayName":"{{displayName}}","externalId":"g-{{displayName.Length}}",
         "members":[{{string.Join(",", memberIds.Select(id => $$"""{"value":"{{id}}","display":"x"}"""))}}]}
        """;

    public static string OktaDeactivate => $$"""
        {"schemas":["{{PatchUrn}}"],"Operations":[{"op":"replace","value":{"active":false} }]}
        """;

    public static string EntraPatch => $$"""
        {"schemas":["{{PatchUrn}}"],"Operations":[
         {"op":"Replace","path":"displayName","value":"Bo Y."},
         {"op":"Add","path":"emails[type eq \"work\"].value","value":"bo@acme.example"},
         {"op":"Replace","path":"name.givenName","value":"Bob"},
         {"op":"Replace","path":"active","value":"False"}]}
        """;

    public static string GroupMembersPatch(string memberId) => $$"""
        {"schemas":["{{PatchUrn}}"],"Operations":[
         {"op":"Add","path":"members","value":[{"value":"{{memberId}}"}]},
         {"op":"Remove","path":"members[value eq \"{{memberId}}\"]"},
         {"op":"Replace","path":"displayName","value":"Renamed"}]}
        """;

    public static string Bulk(string userName) => $$"""
        {"schemas":["{{BulkUrn}}"],"failOnErrors":5,"Operations":[
         {"method":"POST","path":"/Users","bulkId":"u1","data":{{OktaUser(userName)}}},
         {"method":"POST","path":"/Groups","bulkId":"g1","data":{"schemas":["{{GroupUrn}}"],"displayName":"Bulk {{userName}}","members":[{"value":"bulkId:u1"}]} },
         {"method":"PATCH","path":"/Users/bulkId:u1","data":{{OktaDeactivate}}}]}
        """;

    /// <summary>Filters clients send, for the byte-level mutations of filters.</summary>
    public static readonly string[] Filters =
    [
        "userName eq \"ann@acme.example\"",
        "externalId eq \"00u1abcd\"",
        "emails[type eq \"work\" and value co \"@acme\"]",
        "name.familyName sw \"L\" or not (active eq false)",
        "meta.lastModified gt \"2024-01-01T00:00:00Z\"",
        "displayName eq \"Engineers\" and members.value eq \"x\"",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"42\"",
        "title pr and (userType eq \"Employee\" or userType ne \"Contractor\")",
    ];
}
