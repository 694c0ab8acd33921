using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Identity;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Directory.SignOn;
using Roster.Directory.Storage;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>The member a sign-in names, and the member a sign-in creates while SCIM is off.</summary>
public sealed class MemberSignInTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_name_id_finds_the_member_by_user_name_or_email_in_any_case(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var ann = await CreateAsync(directory, acme, "Ann.Lee", "Ann.Lee@Acme.example");
        var members = directory.Members;

        var byUserName = (await members.FindForSignInAsync(acme, "ann.LEE", LinkKey.UserName)).Member;
        Assert.Equal(new SignInMember(ann.Id, "Ann.Lee", "Ann.Lee@Acme.example", MemberDirectory.SourceScim, true), byUserName);
        Assert.Equal(ann.Id, (await members.FindForSignInAsync(acme, "ANN.LEE@acme.EXAMPLE", LinkKey.Email)).Member?.Id);
        Assert.Null((await members.FindForSignInAsync(acme, "ann.lee@acme.example", LinkKey.UserName)).Member);
        Assert.Null((await members.FindForSignInAsync(acme, "Ann.Lee", LinkKey.Email)).Member);
        Assert.Null((await members.FindForSignInAsync(globex, "Ann.Lee", LinkKey.UserName)).Member);
        Assert.Null((await members.FindForSignInAsync(acme, "", LinkKey.UserName)).Member);
        await Assert.ThrowsAsync<ArgumentException>(() => members.FindForSignInAsync(acme, "Ann.Lee", "mail"));

        // Deactivated: found, so that the refusal says so. Deleted: gone.
        var bob = await CreateAsync(directory, acme, "bob", "bob@acme.example");
        await members.UpdateAsync(acme, ScimSchemas.UserResourceType, bob.Id, m => { var r = m.Resource.DeepClone().AsObject(); r["active"] = false; return r; }, Attempt(acme));
        Assert.False((await members.FindForSignInAsync(acme, "BOB", LinkKey.UserName)).Member!.Active);
        await members.DeleteAsync(acme, bob.Id, Attempt(acme));
        var deleted = await members.FindForSignInAsync(acme, "bob", LinkKey.UserName);
        Assert.Equal(SignInLookup.None, deleted);
        Assert.Equal(SignInLookup.None, await members.FindForSignInAsync(acme, "bob@acme.example", LinkKey.Email));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_name_id_finds_the_member_by_external_id_exactly_and_one_shared_by_two_names_neither(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var ann = await CreateAsync(directory, acme, "ann", "ann@acme.example", externalId: "00u1AbC");
        await CreateAsync(directory, globex, "ann", "ann@globex.example", externalId: "00u1AbC");

        Assert.Equal(ann.Id, (await directory.Members.FindForSignInAsync(acme, "00u1AbC", LinkKey.ExternalId)).Member?.Id);
        Assert.Equal(SignInLookup.None, await directory.Members.FindForSignInAsync(acme, "00U1ABC", LinkKey.ExternalId));
        Assert.Equal(SignInLookup.None, await directory.Members.FindForSignInAsync(acme, "ann", LinkKey.ExternalId));

        await CreateAsync(directory, acme, "ann-admin", "ann.admin@acme.example", externalId: "00u1AbC");
        Assert.True((await directory.Members.FindForSignInAsync(acme, "00u1AbC", LinkKey.ExternalId)).Ambiguous);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_email_that_two_members_share_names_neither(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        await CreateAsync(directory, acme, "ann", "shared@acme.example");
        await CreateAsync(directory, acme, "ann-admin", "Shared@acme.example");

        var lookup = await directory.Members.FindForSignInAsync(acme, "shared@acme.example", LinkKey.Email);
        Assert.True(lookup.Ambiguous);
        Assert.Null(lookup.Member);
        Assert.False((await directory.Members.FindForSignInAsync(acme, "ann", LinkKey.UserName)).Ambiguous);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_sign_in_creates_a_member_just_in_time_with_its_log_entry(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");

        var (created, isNew) = await directory.Members.CreateFromSignInAsync(acme, "Cy.Young", " cy@acme.example ", "Cy", null);
        Assert.True(isNew);
        Assert.Equal(("Cy.Young", "cy@acme.example", MemberDirectory.SourceSamlJit, true), (created.UserName, created.Email, created.Source, created.Active));
        Assert.Equal(created, (await directory.Members.FindForSignInAsync(acme, "cy.young", LinkKey.UserName)).Member);
        Assert.Equal(created.Id, (await directory.Members.FindForSignInAsync(acme, "CY@acme.example", LinkKey.Email)).Member?.Id);

        // The same member a SCIM POST would have made: canonical resource, filterable values.
        var member = await directory.Members.GetAsync(acme, created.Id);
        Assert.Equal("Cy", member.Resource["name"]!["givenName"]!.GetValue<string>());
        Assert.Null(member.Resource["name"]!["familyName"]);
        Assert.Equal("cy@acme.example", member.Resource["emails"]![0]!["value"]!.GetValue<string>());
        Assert.True(member.Resource["active"]!.GetValue<bool>());
        var values = await directory.Database.ReadAsync(c => c.Command("SELECT value FROM member_values WHERE member_id = @m AND attribute = 'emails'")
            .With("@m", created.Id).ListAsync(r => r.GetString(0)));
        Assert.Equal(["cy@acme.example"], values);

        var entry = Assert.Single(await directory.Log.QueryAsync(acme, failedOnly: false, limit: 10));
        Assert.Equal((MemberDirectory.OperationJit, "User", created.Id, "Cy.Young", ProvisioningEvent.Succeeded, MemberEffect.Provisioned),
            (entry.Operation, entry.ResourceType, entry.TargetId, entry.TargetName, entry.Outcome, entry.Effect));

        var invalid = await Assert.ThrowsAsync<RosterException>(() => directory.Members.CreateFromSignInAsync(acme, "", null, null, null));
        Assert.Contains("cannot be created from this sign-in", invalid.Message);
        Assert.Single(await directory.Log.QueryAsync(acme, failedOnly: false, limit: 10));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Sign_ins_of_one_name_at_once_make_one_member(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var instances = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RosterDirectory.OpenAsync(fixture.Options)));
        var acme = await instances[0].Enterprises.CreateAsync("Acme");

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            instances[i % instances.Length].Members.CreateFromSignInAsync(acme, i % 2 == 0 ? "dee@acme.example" : "DEE@acme.example", null, null, null))));
        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Member.Id).Distinct());
        var live = await instances[0].Database.ReadAsync(c => c.Command("SELECT count(*) FROM members WHERE enterprise_id = @e AND deleted_at IS NULL")
            .With("@e", acme.Id).ScalarLongAsync());
        Assert.Equal(1, live);
        Assert.Single(await instances[0].Log.QueryAsync(acme, failedOnly: false, limit: 50));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task No_member_is_created_at_sign_in_while_scim_provisions_the_enterprise(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        await directory.Enterprises.SetScimEnabledAsync(acme, true);

        var refused = await Assert.ThrowsAsync<RosterException>(() => directory.Members.CreateFromSignInAsync(acme, "eve", null, null, null));
        Assert.Contains("provisioned by SCIM", refused.Message);
        Assert.Equal(SignInLookup.None, await directory.Members.FindForSignInAsync(acme, "eve", LinkKey.UserName));
        Assert.Empty(await directory.Log.QueryAsync(acme, failedOnly: false, limit: 10));
    }

    static Task<Member> CreateAsync(RosterDirectory directory, Enterprise enterprise, string userName, string email, string? externalId = null)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.UserUrn),
            ["userName"] = userName,
            ["emails"] = new JsonArray(new JsonObject { ["value"] = email, ["primary"] = true }),
        };
        if (externalId is not null) body["externalId"] = externalId;
        return directory.Members.CreateAsync(enterprise, ScimSchemas.UserResourceType,
            ResourceNormalizer.NormalizeRequestBody(body, ScimSchemas.UserResourceType), Attempt(enterprise));
    }

    static ProvisioningAttempt Attempt(Enterprise enterprise) => new()
    {
        EnterpriseId = enterprise.Id, Method = "POST", Path = "/test", Operation = "create", StartedAt = DateTimeOffset.UtcNow,
    };
}
