using System.Globalization;
using System.Text;
using Roster.Directory.Provisioning;

namespace Roster.AdminConsole;

/// <summary>
/// The provisioning log's filters as the console's query string carries them (the log page's GET form,
/// its CSV export and its live entries share them): read leniently, every bad value named in
/// <see cref="Errors"/> and ignored rather than failing the page.
/// </summary>
internal sealed class LogQuery
{
    public const string All = "all";

    /// <summary>The operations the log records, with the words the filter shows for them.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Operations =
    [
        ("create", "Create (POST)"), ("replace", "Replace (PUT)"), ("patch", "Change (PATCH)"), ("delete", "Delete"),
        ("get", "Read one"), ("list", "List / filter"), ("search", "Search (.search)"), ("bulk", "Bulk"),
        ("discovery", "Discovery"), ("jit", "Created at sign-in"), ("unknown", "Unknown address"), ("unsupported", "Unsupported method"),
    ];

    public static readonly IReadOnlyList<(string Value, string Label, TimeSpan? Span)> Ranges =
    [
        (All, "All time", null), ("1h", "Last hour", TimeSpan.FromHours(1)), ("24h", "Last 24 hours", TimeSpan.FromHours(24)),
        ("7d", "Last 7 days", TimeSpan.FromDays(7)),
    ];

    const string LocalTimeFormat = "yyyy-MM-dd'T'HH:mm";

    public string Outcome { get; private init; } = All;
    public string Operation { get; private init; } = "";
    public string Member { get; private init; } = "";
    public string Range { get; private init; } = All;
    public DateTimeOffset? From { get; private init; }
    public DateTimeOffset? To { get; private init; }
    public long? Before { get; private init; }
    public long? After { get; private init; }
    public List<string> Errors { get; } = [];

    public string FromText => From?.UtcDateTime.ToString(LocalTimeFormat, CultureInfo.InvariantCulture) ?? "";
    public string ToText => To?.UtcDateTime.ToString(LocalTimeFormat, CultureInfo.InvariantCulture) ?? "";

    public static LogQuery Parse(IQueryCollection query)
    {
        var errors = new List<string>();
        string Text(string name) => query[name].ToString().Trim();

        var outcome = Text("outcome");
        if (outcome.Length == 0) outcome = All;
        if (outcome is not (All or ProvisioningEvent.Failed or ProvisioningEvent.Succeeded))
        {
            errors.Add($"Outcome '{outcome}' is not one of all, failed, succeeded; showing all.");
            outcome = All;
        }
        var operation = Text("operation");
        if (operation is All) operation = "";
        if (operation.Length > 0 && !Operations.Any(o => o.Value == operation))
        {
            errors.Add($"There is no operation '{operation}'; showing every operation.");
            operation = "";
        }
        var range = Text("range");
        if (range.Length == 0) range = All;
        if (!Ranges.Any(r => r.Value == range))
        {
            errors.Add($"Time range '{range}' is not one of {string.Join(", ", Ranges.Select(r => r.Value))}; showing all time.");
            range = All;
        }
        var member = Text("member");
        if (member.Length > 200)
        {
            errors.Add("The member searched for is longer than 200 characters; the member filter is ignored.");
            member = "";
        }

        var result = new LogQuery
        {
            Outcome = outcome, Operation = operation, Member = member, Range = range,
            From = Time(Text("from"), "From", errors), To = Time(Text("to"), "To", errors),
            Before = Id(Text("before"), "before", errors), After = Id(Text("after"), "after", errors),
        };
        result.Errors.AddRange(errors);
        if (result.From is { } from && result.To is { } to && to <= from) result.Errors.Add("'To' is not after 'From': no entry can match.");
        return result;
    }

    static DateTimeOffset? Time(string text, string label, List<string> errors)
    {
        if (text.Length == 0) return null;
        string[] formats = [LocalTimeFormat, "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"];
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            return new DateTimeOffset(time, TimeSpan.Zero);
        errors.Add($"{label} '{text}' is not a date and time like 2026-11-28T14:30 (UTC); it is ignored.");
        return null;
    }

    static long? Id(string text, string name, List<string> errors)
    {
        if (text.Length == 0) return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return id;
        errors.Add($"'{name}' must be an entry number; it is ignored.");
        return null;
    }

    /// <summary>The directory's filter at <paramref name="now"/>: a relative range starts that long ago,
    /// and an explicit From, if later, wins.</summary>
    public ProvisioningLogFilter ToFilter(DateTimeOffset now)
    {
        var from = Ranges.First(r => r.Value == Range).Span is { } span ? now - span : (DateTimeOffset?)null;
        if (From is { } explicitFrom && (from is null || explicitFrom > from)) from = explicitFrom;
        return new ProvisioningLogFilter
        {
            Outcome = Outcome == All ? null : Outcome,
            Operation = Operation.Length == 0 ? null : Operation,
            Target = Member.Length == 0 ? null : Member,
            From = from,
            To = To,
            Before = Before,
            After = After,
        };
    }

    /// <summary>The filters as a query string ("" or "?…"), without paging: what the export, the live
    /// entries and the Older link carry.</summary>
    public string FilterQueryString()
    {
        var parts = new StringBuilder();
        void Add(string name, string value)
        {
            if (value.Length == 0) return;
            parts.Append(parts.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        if (Outcome != All) Add("outcome", Outcome);
        Add("operation", Operation);
        Add("member", Member);
        if (Range != All) Add("range", Range);
        Add("from", FromText);
        Add("to", ToText);
        return parts.ToString();
    }

    /// <summary><paramref name="path"/> with the filters and one more parameter.</summary>
    public string With(string path, string name, string value)
    {
        var query = FilterQueryString();
        return $"{path}{query}{(query.Length == 0 ? '?' : '&')}{name}={Uri.EscapeDataString(value)}";
    }
}
