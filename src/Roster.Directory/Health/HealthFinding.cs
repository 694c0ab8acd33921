namespace Roster.Directory.Health;

/// <summary>One thing the diagnosis found, in words an admin understands. <see cref="Code"/> is stable
/// (the CLI prints it and scripts match on it): codes are only added, never renamed.</summary>
public sealed record HealthFinding(string Severity, string Code, string Text)
{
    public const string Ok = "ok";
    public const string Warning = "warning";
    public const string Problem = "problem";

    public int Rank => Severity switch { Problem => 0, Warning => 1, _ => 2 };
}

/// <summary>A connection's facts and what the diagnosis makes of them, worst finding first.</summary>
public sealed record HealthReport(HealthFacts Facts, IReadOnlyList<HealthFinding> Findings);
