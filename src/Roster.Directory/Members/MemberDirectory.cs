using System.Data.Common;
using System.Text.Json.Nodes;
using System.Text.Json;
using Roster.Directory.Enterprises;
using Roster.Directory.Events;
using Roster.Directory.Identity;
using Roster.Directory.Provisioning;
using Roster.Directory.Storage;
using Roster.Scim.Errors;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Directory.Members;

/// <summary>
/// The members of enterprises, as SCIM provisions them. Each write runs in one transaction with its
/// provisioning record; deactivating ends the member's sessions and frees their seat in the same one.
/// </summary>
public sealed class MemberDirectory(RosterDatabase database, ProvisioningLog log, TimeProvider clock)
{
    public const string SourceScim = "scim";

    /// <summary>Created at first SAML sign-in, while the enterprise had SCIM off.</summary>
    public const string SourceSamlJit = "saml-jit";

    /// <summary>The provisioning log's operation for a member created at sign-in.</summary>
    public const string OperationJit = "jit";

    const string Columns = "id, enterprise_id, user_name, active, resource, created_at, last_modified, version, deactivated_at";

    /// <param name="type">The enterprise's User resource type, which <paramref name="resource"/> was
    /// normalized by: it decides how the search document folds case.</param>
    public async Task<Member> CreateAsync(Enterprise enterprise, ResourceTypeDefinition type, JsonObject resource, ProvisioningAttempt attempt,
        CancellationToken cancellationToken = default)
    {
        var columns = MemberColumns.From(resource, type);
        try
        {
            return await InsertAsync(enterprise, resource, columns, SourceScim, attempt,
                (connection, transaction) => EnterpriseDomains.CheckAsync(connection, transaction, enterprise.Id, columns, previous: null, attempt, cancellationToken),
                restore: true, adopt: true, cancellationToken);
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw await UserNameTakenOnCreateAsync(enterprise, columns.UserName, attempt, cancellationToken);
        }
        catch (LinkingRefusedException refused)
        {
            // The create was rolled back; the conflict an admin resolves is kept, in a transaction of its own.
            await new MemberLinking(database, clock).RecordConflictAsync(enterprise.Id, refused.MemberId, columns.UserName, refused.Detail, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Adopts the member not linked to SCIM whom the create matches by the enterprise's link key, when
    /// its rule allows (see <see cref="MemberLinking"/>): the same row, id and history, with what the IdP
    /// sent, linked to SCIM from now on. Null when nobody matches; a refusal is a 409 naming why.
    /// </summary>
    async Task<Member?> AdoptAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, JsonObject resource, MemberColumns columns,
        ProvisioningAttempt attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rule = await MemberLinking.ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
        var candidate = await MemberLinking.FindUnlinkedAsync(connection, transaction, enterprise.Id, rule.LinkKey, columns, cancellationToken);
        if (candidate is null) return null;
        if (await MemberLinking.RefusalAsync(connection, transaction, enterprise, rule, candidate, columns.UserName, cancellationToken) is { } refusal)
        {
            attempt.TargetId = candidate.Id.Length > 0 ? candidate.Id : null;
            attempt.TargetName = columns.UserName;
            throw new LinkingRefusedException(candidate.Id, refusal);
        }
        var current = await FindAsync(connection, transaction, enterprise, candidate.Id, forUpdate: true, cancellationToken) ?? throw NotFound(candidate.Id);
        DateTimeOffset? deactivatedAt = columns.Active ? null : current.DeactivatedAt ?? now;
        await RewriteAsync(connection, transaction, enterprise, current.Id, resource, columns, now, deactivatedAt, ", source = @source", "",
            command => command.With("@source", SourceScim), cancellationToken);
        if (!columns.Active) await EndSessionsAsync(connection, transaction, current.Id, MemberEffect.Deactivated, now, cancellationToken);
        attempt.TargetId = current.Id;
        attempt.TargetName = columns.UserName;
        attempt.Effect = MemberEffect.Adopted(candidate.Source);
        var events = new EventBatch(enterprise.Id);
        var data = EventData.Member(current.Id, resource);
        data["adoptedFrom"] = candidate.Source;
        events.Member(current.Active == columns.Active ? EventTypes.MemberUpdated
            : columns.Active ? EventTypes.MemberReactivated : EventTypes.MemberDeactivated, current.Id, data);
        await log.RecordSuccessAsync(connection, transaction, attempt, cancellationToken);
        await events.WriteAsync(connection, transaction, now, cancellationToken);
        return current with
        {
            UserName = columns.UserName, Active = columns.Active, Resource = resource, LastModified = now, Version = current.Version + 1,
            DeactivatedAt = deactivatedAt,
        };
    }

    /// <summary>The conflict of a create, with the member who has the userName as the attempt's target
    /// and, for the log, whether they are deactivated: then the IdP should reactivate them, not create.</summary>
    async Task<ScimException> UserNameTakenOnCreateAsync(Enterprise enterprise, string userName, ProvisioningAttempt attempt,
        CancellationToken cancellationToken)
    {
        var error = UserNameTaken(userName);
        attempt.TargetId = null;
        attempt.TargetName = userName;
        var existing = await database.ReadAsync(c => c.Command(
                "SELECT id, active FROM members WHERE enterprise_id = @e AND user_name_key = @key AND deleted_at IS NULL")
            .With("@e", enterprise.Id).With("@key", MemberColumns.Key(userName))
            .ListAsync(r => (Id: r.GetString(0), Active: r.GetBoolean(1)), cancellationToken), cancellationToken);
        if (existing is [var holder])
        {
            attempt.TargetId = holder.Id;
            error.Data["reason"] =
                $"A User with userName '{userName}' already exists in this enterprise: {(holder.Active ? ExistingActiveMember : ExistingDeactivatedMember)} {holder.Id}";
        }
        return error;
    }

    /// <summary>How the log's reason names the member who holds a userName a create asked for.</summary>
    public const string ExistingActiveMember = "the active member";
    public const string ExistingDeactivatedMember = "the deactivated member";

    /// <summary>
    /// Creates a member from a SAML sign-in (just-in-time provisioning): a SCIM User with what the
    /// assertion said, source <see cref="SourceSamlJit"/>, recorded in the provisioning log as
    /// operation <c>jit</c>, in one transaction. Refused while the enterprise's SCIM provisioning is
    /// on: then its IdP's SCIM client alone creates members. When the userName is taken by then (the
    /// same person signing in from two tabs at once), the member who has it is returned instead, with
    /// <c>Created</c> false: check it is active, as for any sign-in.
    /// </summary>
    /// <param name="externalId">The IdP's id of the person, when sign-ins are matched by externalId
    /// (the NameID): stored, so that their next sign-in finds this member.</param>
    /// <exception cref="RosterException">SCIM provisioning is on, or a value is not valid for a User.</exception>
    public async Task<(SignInMember Member, bool Created)> CreateFromSignInAsync(Enterprise enterprise, string userName, string? email,
        string? givenName, string? familyName, CancellationToken cancellationToken = default, string? externalId = null)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.UserUrn),
            ["userName"] = userName,
            ["active"] = true,
        };
        if (!string.IsNullOrEmpty(externalId)) body["externalId"] = externalId;
        if (!string.IsNullOrWhiteSpace(givenName) || !string.IsNullOrWhiteSpace(familyName))
            body["name"] = new JsonObject { ["givenName"] = Blank(givenName), ["familyName"] = Blank(familyName) };
        if (!string.IsNullOrWhiteSpace(email))
            body["emails"] = new JsonArray(new JsonObject { ["value"] = email.Trim(), ["type"] = "work", ["primary"] = true });
        JsonObject resource;
        try
        {
            // The same canonical form a SCIM POST gets. The core User type is the enterprise's for
            // these attributes: declared schemas only add extensions, which a sign-in does not fill.
            resource = ResourceNormalizer.NormalizeRequestBody(body, ScimSchemas.UserResourceType);
        }
        catch (ScimException e)
        {
            throw new RosterException($"A member cannot be created from this sign-in: {e.Detail}");
        }
        var columns = MemberColumns.From(resource, ScimSchemas.UserResourceType);
        var attempt = new ProvisioningAttempt
        {
            EnterpriseId = enterprise.Id,
            Method = "SAML",
            Path = "sign-in",
            Operation = OperationJit,
            ResourceType = "User",
            StartedAt = clock.GetUtcNow(),
            SuccessStatus = 201,
        };
        try
        {
            var member = await InsertAsync(enterprise, resource, columns, SourceSamlJit, attempt, RequireScimOffAsync, restore: false, adopt: false, cancellationToken);
            return (new SignInMember(member.Id, member.UserName, columns.Email, SourceSamlJit, member.Active), true);
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            var existing = await FindForSignInAsync(enterprise, columns.UserName, LinkKey.UserName, cancellationToken);
            return existing.Member is { } member
                ? (member, false)
                : throw new RosterException($"A member with userName '{columns.UserName}' was being created and is gone; sign in again.");
        }

        async Task RequireScimOffAsync(DbConnection connection, DbTransaction transaction)
        {
            var scimEnabled = await connection.Command($"SELECT scim_enabled FROM enterprises WHERE id = @e{database.Dialect.ForUpdate}", transaction)
                .With("@e", enterprise.Id).ListAsync(r => r.GetBoolean(0), cancellationToken);
            if (scimEnabled is not [false])
                throw new RosterException(
                    $"Enterprise '{enterprise.Slug}' is provisioned by SCIM: members come from its IdP's SCIM client, not from sign-in.");
        }

        static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>
    /// The member a SAML NameID names: the live (not deleted) member whose <paramref name="linkKey"/>
    /// (one of <see cref="LinkKey"/>: the enterprise's link key) equals it, userName and email without
    /// regard to case, externalId exactly. Deactivated members are found too, so that the refusal can
    /// say so. When several members carry the value (emails and externalIds need not be unique), none
    /// is returned and the lookup says it is ambiguous: a value that names two people identifies neither.
    /// </summary>
    public Task<SignInLookup> FindForSignInAsync(Enterprise enterprise, string nameId, string linkKey, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(nameId)) return Task.FromResult(SignInLookup.None);
        var (column, value) = LinkKey.Match(linkKey, nameId);
        return database.ReadAsync(async c =>
        {
            var found = await c.Command(
                    $"SELECT id, user_name, email, source, active FROM members WHERE enterprise_id = @e AND {column} = @key AND deleted_at IS NULL " +
                    "ORDER BY created_at, id LIMIT 2")
                .With("@e", enterprise.Id).With("@key", value)
                .ListAsync(r => new SignInMember(r.GetString(0), r.GetString(1), r.StringOrNull(2), r.GetString(3), r.GetBoolean(4)), cancellationToken);
            return found switch
            {
                [] => SignInLookup.None,
                [var one] => new SignInLookup(one, false),
                _ => SignInLookup.AmbiguousMatch,
            };
        }, cancellationToken);
    }

    /// <summary>Inserts a member, its values and its provisioning record in one transaction, after
    /// <paramref name="precondition"/> (which may refuse) in that same transaction. With
    /// <paramref name="restore"/>, a restorable member with the same userName (<see cref="RestoreAsync"/>)
    /// is restored instead of a new one being created.</summary>
    async Task<Member> InsertAsync(Enterprise enterprise, JsonObject resource, MemberColumns columns, string source, ProvisioningAttempt attempt,
        Func<DbConnection, DbTransaction, Task>? precondition, bool restore, bool adopt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        resource["active"] = columns.Active;
        var member = new Member(Identifiers.NewId(), enterprise.Id, columns.UserName, columns.Active, resource, now, now, 1,
            columns.Active ? null : now);
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            var events = new EventBatch(enterprise.Id);
            if (precondition is not null) await precondition(connection, transaction);
            if (restore && await RestoreAsync(connection, transaction, enterprise, resource, columns, now, cancellationToken) is { } restored)
            {
                attempt.TargetId = restored.Id;
                attempt.TargetName = restored.UserName;
                attempt.Effect = MemberEffect.Restored;
                var data = EventData.Member(restored.Id, resource);
                data["restored"] = true;
                events.Member(columns.Active ? EventTypes.MemberReactivated : EventTypes.MemberUpdated, restored.Id, data);
                await log.RecordSuccessAsync(connection, transaction, attempt, cancellationToken);
                await events.WriteAsync(connection, transaction, now, cancellationToken);
                return restored;
            }
            if (adopt && await AdoptAsync(connection, transaction, enterprise, resource, columns, attempt, now, cancellationToken) is { } adopted) return adopted;
            attempt.TargetId = member.Id;
            attempt.TargetName = member.UserName;
            attempt.Effect = columns.Active ? MemberEffect.Provisioned : MemberEffect.ProvisionedInactive;
            await connection.PreparedCommand(
                    "INSERT INTO members (id, enterprise_id, user_name, user_name_key, external_id, display_name, display_name_key, given_name, family_name, " +
                    "email, email_key, active, source, resource, search, version, created_at, last_modified, deactivated_at) VALUES " +
                    "(@id, @e, @un, @unk, @ext, @dn, @dnk, @gn, @fn, @em, @emk, @active, @source, @resource, @search, 1, @now, @now, @deactivated)", transaction)
                .With("@id", member.Id).With("@e", enterprise.Id).WithColumns(columns).With("@source", source)
                .WithResource(database.Dialect, resource, columns).With("@now", now.ToDb())
                .With("@deactivated", member.DeactivatedAt.ToDb())
                .ExecuteAsync(cancellationToken);
            await WriteValuesAsync(connection, transaction, enterprise, member.Id, columns, replace: false, cancellationToken);
            var provisioned = EventData.Member(member.Id, resource);
            provisioned["source"] = source;
            events.Member(EventTypes.MemberProvisioned, member.Id, provisioned);
            await log.RecordSuccessAsync(connection, transaction, attempt, cancellationToken);
            await events.WriteAsync(connection, transaction, now, cancellationToken);
            return member;
        }, cancellationToken);
    }

    /// <summary>
    /// When the IdP provisions again someone it deprovisioned (Okta's "reassign": a POST with the same
    /// userName), the member it removed within the grace period, or suspended on DELETE, comes back:
    /// the same id, history and content, with the attributes the POST sent. A member whose grace period
    /// is over (or who was removed without one) is not restorable: the POST creates a new member, and the
    /// old row stays as history. Group memberships ended with the removal and are not restored: the
    /// IdP pushes them again. Null when there is no one to restore.
    /// </summary>
    async Task<Member?> RestoreAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, JsonObject resource,
        MemberColumns columns, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Locked, and deleted_at re-checked under the lock: of two POSTs at once, one restores and the
        // other finds the userName taken (409), as with two creates.
        var restorable = await connection.PreparedCommand(
                // "deprovisioned_as IS NOT NULL" spelled out as a term of its own: SQLite uses the partial index
                // members_restorable only when the query's terms imply its WHERE, and a term inside the OR
                // below does not count; without it each create scanned the enterprise's members.
                "SELECT id FROM members WHERE enterprise_id = @e AND user_name_key = @key AND deleted_at IS NOT NULL AND deprovisioned_as IS NOT NULL AND " +
                $"(deprovisioned_as = '{DeprovisionedAs.Suspended}' OR (deprovisioned_as = '{DeprovisionedAs.Removed}' AND restorable_until > @now)) " +
                $"ORDER BY deleted_at DESC, id LIMIT 1{database.Dialect.ForUpdate}", transaction)
            .With("@e", enterprise.Id).With("@key", columns.UserNameKey).With("@now", now.ToDb())
            .ListAsync(r => r.GetString(0), cancellationToken);
        if (restorable is not [var id]) return null;
        var restored = await RewriteAsync(connection, transaction, enterprise, id, resource, columns, now, columns.Active ? null : now,
            ", deleted_at = NULL, deprovisioned_as = NULL, restorable_until = NULL", " AND deleted_at IS NOT NULL", null, cancellationToken);
        if (!restored) return null;
        return await FindAsync(connection, transaction, enterprise, id, forUpdate: false, cancellationToken);
    }

    /// <summary>
    /// Writes a member's resource and every column made from it, and its values, in the caller's
    /// transaction: the one rewrite that an update, a restore and an adoption share. <paramref name="set"/>
    /// and <paramref name="where"/> add what only one of them changes or requires. False when no row matched.
    /// </summary>
    async Task<bool> RewriteAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, string id, JsonObject resource,
        MemberColumns columns, DateTimeOffset now, DateTimeOffset? deactivatedAt, string set, string where, Action<DbCommand>? parameters,
        CancellationToken cancellationToken)
    {
        var command = connection.PreparedCommand(
                "UPDATE members SET user_name = @un, user_name_key = @unk, external_id = @ext, display_name = @dn, display_name_key = @dnk, given_name = @gn, " +
                "family_name = @fn, email = @em, email_key = @emk, active = @active, resource = @resource, search = @search, version = version + 1, " +
                $"last_modified = @now, deactivated_at = @deactivated{set} WHERE id = @id AND enterprise_id = @e{where}", transaction)
            .WithColumns(columns).WithResource(database.Dialect, resource, columns)
            .With("@now", now.ToDb()).With("@deactivated", deactivatedAt.ToDb()).With("@id", id).With("@e", enterprise.Id);
        parameters?.Invoke(command);
        if (await command.ExecuteAsync(cancellationToken) == 0) return false;
        await WriteValuesAsync(connection, transaction, enterprise, id, columns, replace: true, cancellationToken);
        return true;
    }

    public async Task<Member> GetAsync(Enterprise enterprise, string id, CancellationToken cancellationToken = default) =>
        await database.ReadAsync(c => FindAsync(c, null, enterprise, id, forUpdate: false, cancellationToken), cancellationToken)
        ?? throw NotFound(id);

    /// <summary>One page of the enterprise's members that satisfy <paramref name="condition"/>, in the
    /// order <paramref name="orderBy"/> gives (from <see cref="MemberFilterTranslator.OrderBy"/>), ties
    /// and the default in a stable order (creation, then id), and how many there are in all: both
    /// counted by the database.</summary>
    public Task<(long Total, List<Member> Page)> ListAsync(Enterprise enterprise, SqlCondition? condition, int startIndex, int count,
        string? orderBy = null, CancellationToken cancellationToken = default) =>
        Listing.ReadPageAsync(database, enterprise.Id, condition, startIndex, count, orderBy, cancellationToken);

    /// <summary>A page by cursor (RFC 9865): in the default order, or by <paramref name="sort"/>; keyset
    /// paging, so each page is an index range scan from the cursor's key.</summary>
    public Task<CursorPage<Member>> ListByCursorAsync(Enterprise enterprise, SqlCondition? condition, string? filterText, int count,
        string? cursor, ListSort? sort = null, CancellationToken cancellationToken = default) =>
        Listing.ReadCursorPageAsync(database, enterprise.Id, condition, PageCursor.Fingerprint("User", filterText, sort), count, cursor, sort,
            cancellationToken);

    static readonly EnterpriseListing<Member> Listing = new("members", Columns, Read, row => (row.Created, row.Id));

    /// <summary>
    /// Changes a member: <paramref name="change"/> gets the stored resource and returns the new one
    /// (a PUT's replacement, or the result of a PATCH). Runs with the member's row locked, so two
    /// concurrent changes apply one after the other rather than one over the other.
    /// </summary>
    public async Task<Member> UpdateAsync(Enterprise enterprise, ResourceTypeDefinition type, string id, Func<Member, JsonObject> change,
        ProvisioningAttempt attempt, CancellationToken cancellationToken = default)
    {
        attempt.TargetId = id;
        string? attemptedUserName = null;
        try
        {
            return await database.InTransactionAsync(async (connection, transaction) =>
            {
                var current = await FindAsync(connection, transaction, enterprise, id, forUpdate: true, cancellationToken) ?? throw NotFound(id);
                attempt.TargetName = current.UserName;
                var resource = change(current);
                var columns = MemberColumns.From(resource, type);
                attemptedUserName = columns.UserName;
                resource["active"] = columns.Active;

                if (JsonNode.DeepEquals(resource, current.Resource))
                {
                    attempt.Effect = MemberEffect.Unchanged;
                    await log.RecordSuccessAsync(connection, transaction, attempt, cancellationToken);
                    return current;
                }

                var now = clock.GetUtcNow();
                attempt.TargetName = columns.UserName;
                var policy = await DeprovisioningPolicies.ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
                var removing = current.Active && !columns.Active && policy.OnDeactivate == DeprovisioningPolicy.Remove;
                attempt.Effect = (current.Active, columns.Active) switch
                {
                    (true, false) => MemberEffect.Deactivated,
                    (false, true) => MemberEffect.Reactivated,
                    _ => MemberEffect.Updated,
                };
                await EnterpriseDomains.CheckAsync(connection, transaction, enterprise.Id, columns,
                    (current.UserName, MemberColumns.PrimaryEmail(current.Resource["emails"] as JsonArray)), attempt, cancellationToken);
                DateTimeOffset? deactivatedAt = columns.Active ? null : current.DeactivatedAt ?? now;
                await RewriteAsync(connection, transaction, enterprise, id, resource, columns, now, deactivatedAt, "", "", null, cancellationToken);
                if (!columns.Active) await EndSessionsAsync(connection, transaction, current.Id, MemberEffect.Deactivated, now, cancellationToken);
                var events = new EventBatch(enterprise.Id);
                var data = EventData.Member(id, resource);
                var eventType = (current.Active, columns.Active) switch
                {
                    (true, false) => EventTypes.MemberDeactivated,
                    (false, true) => EventTypes.MemberReactivated,
                    _ => EventTypes.MemberUpdated,
                };
                if (removing)
                {
                    // The change itself is answered (200, active false), as the IdP expects; from then on
                    // the member is gone for SCIM, like after a DELETE.
                    var restorableUntil = policy.RestorableUntil(now);
                    attempt.Effect = MemberEffect.Removed("deactivate", restorableUntil);
                    events.Member(eventType, id, data.WithDeprovisioning(DeprovisionedAs.Removed, restorableUntil));
                    await HideAsync(connection, transaction, enterprise, id, DeprovisionedAs.Removed, restorableUntil, now, events, cancellationToken);
                }
                else
                {
                    events.Member(eventType, id, eventType == EventTypes.MemberDeactivated ? data.WithDeprovisioning(DeprovisionedAs.Suspended, null) : data);
                }
                await log.RecordSuccessAsync(connection, transaction, attempt, cancellationToken);
                await events.WriteAsync(connection, transaction, now, cancellationToken);
                return current with
                {
                    UserName = columns.UserName, Active = columns.Active, Resource = resource, LastModified = now,
                    Version = current.Version + 1, DeactivatedAt = deactivatedAt,
                };
            }, cancellationToken);
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw UserNameTaken(attemptedUserName ?? "");
        }
    }

    /// <summary>Removes the member from the enterprise: access ends, the seat is freed and the
    /// userName may be provisioned again; the row stays for the history that refers to it. What else
    /// happens is the enterprise's policy on DELETE: 'remove' (the default) keeps the member restorable
    /// by a POST of the same userName during its grace period, if any; 'suspend' deactivates the member
    /// and keeps them restorable by such a POST at any time. Either way the member is gone for SCIM from
    /// then on (404, in no list): RFC 7644 §3.6 lets a service provider keep a deleted resource, but
    /// never return it again.</summary>
    /// <remarks><paramref name="precondition"/> sees the locked row and may refuse (If-Match).</remarks>
    public async Task DeleteAsync(Enterprise enterprise, string id, ProvisioningAttempt attempt, Action<Member>? precondition = null,
        CancellationToken cancellationToken = default)
    {
        attempt.TargetId = id;
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var current = await FindAsync(connection, transaction, enterprise, id, forUpdate: true, cancellationToken) ?? throw NotFound(id);
            attempt.TargetName = current.UserName;
            precondition?.Invoke(current);
            var now = clock.GetUtcNow();
            var policy = await DeprovisioningPolicies.ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
            var events = new EventBatch(enterprise.Id);
            var data = EventData.Member(id, current.Resource);
            if (policy.OnDelete == DeprovisioningPolicy.Suspend)
            {
                attempt.Effect = MemberEffect.SuspendedOnDelete;
                events.Member(EventTypes.MemberDeleted, id, data.WithDeprovisioning(DeprovisionedAs.Suspended, null));
                await HideAsync(connection, transaction, enterprise, id, DeprovisionedAs.Suspended, null, now, events, cancellationToken);
            }
            else
            {
                var restorableUntil = policy.RestorableUntil(now);
                attempt.Effect = restorableUntil is null ? MemberEffect.Deleted : MemberEffect.Removed("delete", restorableUntil);
                events.Member(EventTypes.MemberDeleted, id, data.WithDeprovisioning(DeprovisionedAs.Removed, restorableUntil));
                await HideAsync(connection, transaction, enterprise, id, DeprovisionedAs.Removed, restorableUntil, now, events, cancellationToken);
            }
            await log.RecordSuccessAsync(connection, transaction, attempt, cancellationToken);
            await events.WriteAsync(connection, transaction, now, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Takes the member out of SCIM's sight (deleted_at) in the caller's transaction: deactivated,
    /// sessions ended, seat freed, out of every group; the row stays, with how and until when it can be restored.</summary>
    async Task HideAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, string id, string deprovisionedAs,
        DateTimeOffset? restorableUntil, DateTimeOffset now, EventBatch events, CancellationToken cancellationToken)
    {
        await connection.Command(
                "UPDATE members SET active = FALSE, deleted_at = @now, last_modified = @now, version = version + 1, " +
                "deactivated_at = COALESCE(deactivated_at, @now), deprovisioned_as = @as, restorable_until = @until WHERE id = @id AND enterprise_id = @e",
                transaction)
            .With("@now", now.ToDb()).With("@as", deprovisionedAs).With("@until", restorableUntil.ToDb()).With("@id", id).With("@e", enterprise.Id)
            .ExecuteAsync(cancellationToken);
        await EndSessionsAsync(connection, transaction, id, MemberEffect.Deleted, now, cancellationToken);
        await Groups.GroupDirectory.RemoveMemberAsync(connection, transaction, enterprise, id, now, events, cancellationToken);
    }

    /// <summary>How many live members hold values of the extension <paramref name="urn"/>.</summary>
    internal Task<long> CountCarryingAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, string urn,
        CancellationToken cancellationToken) =>
        connection.Command($"SELECT count(*) FROM members WHERE enterprise_id = @e AND deleted_at IS NULL AND {Carrying(urn)}", transaction)
            .With("@e", enterprise.Id).ScalarLongAsync(cancellationToken);

    /// <summary>
    /// Removes the values of the extension <paramref name="urn"/> from every live member that holds
    /// some, inside the caller's transaction (the removal of the schema): each is a change like any
    /// other, with a new version and its search document rebuilt by <paramref name="remaining"/>, the
    /// resource type without that extension. Not a provisioning attempt, so not in the log.
    /// </summary>
    internal async Task RemoveExtensionAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise,
        ResourceTypeDefinition remaining, string urn, CancellationToken cancellationToken)
    {
        var carriers = await connection.Command(
                $"SELECT {Columns} FROM members WHERE enterprise_id = @e AND deleted_at IS NULL AND {Carrying(urn)}{database.Dialect.ForUpdate}", transaction)
            .With("@e", enterprise.Id).ListAsync(Read, cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var member in carriers)
        {
            var resource = member.Resource;
            resource.Remove(urn);
            var columns = MemberColumns.From(resource, remaining);
            await connection.Command(
                    "UPDATE members SET resource = @resource, search = @search, version = version + 1, last_modified = @now " +
                    "WHERE id = @id AND enterprise_id = @e", transaction)
                .WithResource(database.Dialect, resource, columns).With("@now", now.ToDb()).With("@id", member.Id).With("@e", enterprise.Id)
                .ExecuteAsync(cancellationToken);
            await WriteValuesAsync(connection, transaction, enterprise, member.Id, columns, replace: true, cancellationToken);
        }
    }

    /// <summary>True for a member whose stored resource has the extension <paramref name="urn"/>: the
    /// canonical form keeps extension values under the URN exactly as declared.</summary>
    string Carrying(string urn) => $"{database.Dialect.JsonDocument("resource", [urn])} IS NOT NULL";

    /// <summary>Keeps member_values in step with the resource, in the same transaction.</summary>
    static async Task WriteValuesAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, string memberId,
        MemberColumns columns, bool replace, CancellationToken cancellationToken)
    {
        if (replace)
            await connection.PreparedCommand("DELETE FROM member_values WHERE member_id = @m", transaction).With("@m", memberId).ExecuteAsync(cancellationToken);
        foreach (var value in columns.Values)
        {
            await connection.PreparedCommand("INSERT INTO member_values (member_id, enterprise_id, attribute, type, value) VALUES (@m, @e, @a, @t, @v)", transaction)
                .With("@m", memberId).With("@e", enterprise.Id).With("@a", value.Attribute).With("@t", value.Type).With("@v", value.Value)
                .ExecuteAsync(cancellationToken);
        }
    }

    static Task EndSessionsAsync(DbConnection connection, DbTransaction transaction, string memberId, string reason, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        connection.Command("UPDATE member_sessions SET ended_at = @now, end_reason = @reason WHERE member_id = @m AND ended_at IS NULL", transaction)
            .With("@now", now.ToDb()).With("@reason", reason).With("@m", memberId).ExecuteAsync(cancellationToken);

    Task<Member?> FindAsync(DbConnection connection, DbTransaction? transaction, Enterprise enterprise, string id, bool forUpdate,
        CancellationToken cancellationToken) =>
        connection.PreparedCommand($"SELECT {Columns} FROM members WHERE enterprise_id = @e AND id = @id AND deleted_at IS NULL" +
                           (forUpdate ? database.Dialect.ForUpdate : ""), transaction)
            .With("@e", enterprise.Id).With("@id", id).SingleOrDefaultAsync(Read, cancellationToken);

    /// <summary>
    /// A member SCIM no longer sees (removed or suspended by the deprovisioning policy, or deleted), for
    /// the admin's view of their history: the member as last stored, how they went and until when a
    /// POST of the same userName restores them. Null for a live member, an unknown id or another
    /// enterprise's.
    /// </summary>
    public Task<DeprovisionedMember?> FindDeprovisionedAsync(Enterprise enterprise, string id, CancellationToken cancellationToken = default) =>
        id.Contains('\0', StringComparison.Ordinal)
            ? Task.FromResult<DeprovisionedMember?>(null)
            : database.ReadAsync(c => c.Command(
                    $"SELECT {Columns}, deleted_at, deprovisioned_as, restorable_until, source FROM members WHERE enterprise_id = @e AND id = @id AND deleted_at IS NOT NULL")
                .With("@e", enterprise.Id).With("@id", id)
                .SingleOrDefaultAsync(r => new DeprovisionedMember(Read(r), r.Time(9), r.StringOrNull(10), r.TimeOrNull(11), r.GetString(12)), cancellationToken),
                cancellationToken);

    static Member Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3),
        JsonNode.Parse(r.GetString(4)) as JsonObject ?? throw new JsonException("A stored resource is not a JSON object."),
        r.Time(5), r.Time(6), r.GetInt64(7), r.TimeOrNull(8));

    static ScimException NotFound(string id) => ScimException.NotFound($"No User with id '{id}' in this enterprise.");

    static ScimException UserNameTaken(string userName) =>
        ScimException.Conflict($"A User with userName '{userName}' already exists in this enterprise (userName is compared without regard to case).");
}

internal static class MemberCommandExtensions
{
    public static DbCommand WithResource(this DbCommand command, SqlDialect dialect, JsonObject resource, MemberColumns columns) => command
        .With(dialect.JsonParameter("@resource", resource.ToJsonString()))
        .With(dialect.JsonParameter("@search", columns.Search.ToJsonString()));

    public static DbCommand WithColumns(this DbCommand command, MemberColumns columns) => command
        .With("@un", columns.UserName).With("@unk", columns.UserNameKey).With("@ext", columns.ExternalId).With("@dn", columns.DisplayName).With("@dnk", columns.DisplayNameKey)
        .With("@gn", columns.GivenName).With("@fn", columns.FamilyName).With("@em", columns.Email).With("@emk", columns.EmailKey)
        .With("@active", columns.Active);
}
