using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Directory.Storage;

namespace Roster.Directory.Events;

/// <summary>
/// The events of one change, collected while its transaction runs and written, with their cursors,
/// by <see cref="WriteAsync"/> just before it commits. Written last because the counter row's lock
/// is held until commit: taken last, it is held for the shortest time, and never before a member's or
/// a group's row lock, so two changes cannot wait on each other in opposite orders.
/// </summary>
internal sealed class EventBatch(string enterpriseId)
{
    /// <summary>Rows per INSERT: eight parameters each, well within both databases' limits.</summary>
    const int Chunk = 200;

    readonly List<(string Type, string SubjectType, string SubjectId, JsonObject Data)> pending = [];

    public int Count => pending.Count;

    public void Add(string type, string subjectType, string subjectId, JsonObject data) => pending.Add((type, subjectType, subjectId, data));

    public void Member(string type, string memberId, JsonObject data) => Add(type, EventTypes.SubjectMember, memberId, data);

    public void Group(string type, string groupId, JsonObject data) => Add(type, EventTypes.SubjectGroup, groupId, data);

    /// <summary>Takes the next cursors of the enterprise and inserts the events, in the caller's
    /// transaction. The batch is empty afterwards.</summary>
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (pending.Count == 0) return;
        var last = await connection.PreparedCommand(
                "INSERT INTO event_counters (enterprise_id, last_seq) VALUES (@e, @n) " +
                "ON CONFLICT (enterprise_id) DO UPDATE SET last_seq = event_counters.last_seq + @n RETURNING last_seq", transaction)
            .With("@e", enterpriseId).With("@n", (long)pending.Count).ScalarLongAsync(cancellationToken);
        var seq = last - pending.Count + 1;
        foreach (var chunk in pending.Chunk(Chunk))
        {
            // The text depends on the number of rows only: a kept-open connection reuses its prepared command.
            var rows = string.Join(", ", Enumerable.Range(0, chunk.Length).Select(i =>
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                return $"(@e, @s{n}, @i{n}, @t{n}, @at, @st{n}, @sid{n}, @d{n})";
            }));
            // Prepared for the usual one event a change; a batch of many has a text of its own each size.
            var sql = "INSERT INTO events (enterprise_id, seq, id, type, occurred_at, subject_type, subject_id, data) VALUES " + rows;
            var command = (chunk.Length == 1 ? connection.PreparedCommand(sql, transaction) : connection.Command(sql, transaction))
                .With("@e", enterpriseId).With("@at", now.ToDb());
            for (var i = 0; i < chunk.Length; i++, seq++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                var (type, subjectType, subjectId, data) = chunk[i];
                command.With("@s" + n, seq).With("@i" + n, Identifiers.NewId()).With("@t" + n, type).With("@st" + n, subjectType)
                    .With("@sid" + n, subjectId).With("@d" + n, data.ToJsonString());
            }
            await command.ExecuteAsync(cancellationToken);
        }
        pending.Clear();
    }
}
