using System.Data.Common;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.SignOn;

/// <summary>The record of every SAML sign-in of an enterprise, and why the refused ones were: what an
/// admin reads when someone "cannot get in".</summary>
public sealed class SignInLog(RosterDatabase database, TimeProvider clock)
{
    const int MaxReasonLength = 64;
    const int MaxDetailLength = 1000;
    const int MaxNameIdLength = 512;
    const int MaxIdLength = 256;
    const int MaxClientAddressLength = 64;
    const int MaxUserAgentLength = 200;

    const string Columns = "id, enterprise_id, occurred_at, outcome, reason, detail, name_id, member_id, assertion_id, idp_initiated, " +
                           "client_address, user_agent, request_id";

    /// <summary>Records an attempt in a transaction of its own (a refusal changed nothing else to be
    /// part of), and returns it with its id and time. Long texts are shortened, never refused: the
    /// record of a strange request matters most.</summary>
    /// <exception cref="ArgumentException">The outcome is not one of <see cref="SignInOutcome"/>, a
    /// refusal has no reason, or a reason is not a code.</exception>
    public async Task<SignInAttempt> RecordAsync(SignInAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (!SignInOutcome.IsValid(attempt.Outcome)) throw new ArgumentException($"'{attempt.Outcome}' is not a sign-in outcome.", nameof(attempt));
        if (attempt.Outcome == SignInOutcome.Refused && attempt.Reason is null)
            throw new ArgumentException("A refused sign-in has a reason.", nameof(attempt));
        if (attempt.Reason is { } reason && !IsCode(reason))
            throw new ArgumentException($"A reason is a code of lower-case letters, digits and dashes, not '{reason}'.", nameof(attempt));

        var recorded = attempt with
        {
            OccurredAt = clock.GetUtcNow(),
            Detail = Truncate(attempt.Detail, MaxDetailLength),
            NameId = Truncate(attempt.NameId, MaxNameIdLength),
            AssertionId = Truncate(attempt.AssertionId, MaxIdLength),
            ClientAddress = Truncate(attempt.ClientAddress, MaxClientAddressLength),
            UserAgent = Truncate(attempt.UserAgent, MaxUserAgentLength),
            RequestId = Truncate(attempt.RequestId, MaxIdLength),
        };
        var id = await database.InTransactionAsync((connection, transaction) => connection.Command(
                "INSERT INTO sign_in_attempts (enterprise_id, occurred_at, outcome, reason, detail, name_id, member_id, assertion_id, idp_initiated, " +
                "client_address, user_agent, request_id) VALUES (@e, @at, @outcome, @reason, @detail, @name, @member, @assertion, @idp, @address, @agent, @request) " +
                "RETURNING id", transaction)
            .With("@e", recorded.EnterpriseId).With("@at", recorded.OccurredAt.ToDb()).With("@outcome", recorded.Outcome).With("@reason", recorded.Reason)
            .With("@detail", recorded.Detail).With("@name", recorded.NameId).With("@member", recorded.MemberId).With("@assertion", recorded.AssertionId)
            .With("@idp", recorded.IdpInitiated).With("@address", recorded.ClientAddress).With("@agent", recorded.UserAgent)
            .With("@request", recorded.RequestId)
            .ScalarLongAsync(cancellationToken), cancellationToken);
        return recorded with { Id = id };
    }

    /// <summary>The newest attempts first; <paramref name="before"/> pages backwards by id.</summary>
    public Task<List<SignInAttempt>> ListAsync(Enterprise enterprise, bool refusedOnly, int limit, long? before = null,
        CancellationToken cancellationToken = default)
    {
        var sql = $"SELECT {Columns} FROM sign_in_attempts WHERE enterprise_id = @e";
        if (refusedOnly) sql += " AND outcome = 'refused'";
        if (before is not null) sql += " AND id < @before";
        sql += " ORDER BY id DESC LIMIT @limit";
        return database.ReadAsync(c =>
        {
            var command = c.Command(sql).With("@e", enterprise.Id).With("@limit", Math.Clamp(limit, 1, 10_000));
            if (before is not null) command.With("@before", before.Value);
            return command.ListAsync(Read, cancellationToken);
        }, cancellationToken);
    }

    static bool IsCode(string reason) =>
        reason.Length is > 0 and <= MaxReasonLength && reason.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    static SignInAttempt Read(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), EnterpriseId = r.GetString(1), OccurredAt = r.Time(2), Outcome = r.GetString(3), Reason = r.StringOrNull(4),
        Detail = r.StringOrNull(5), NameId = r.StringOrNull(6), MemberId = r.StringOrNull(7), AssertionId = r.StringOrNull(8),
        IdpInitiated = r.GetBoolean(9), ClientAddress = r.StringOrNull(10), UserAgent = r.StringOrNull(11), RequestId = r.StringOrNull(12),
    };

    static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max] + "…";
}
