namespace Roster.Scim.Filtering;

/// <summary>The binary logical operators of RFC 7644 §3.4.2.2; <c>and</c> binds tighter than <c>or</c>.</summary>
public enum LogicalOperator
{
    And,
    Or,
}
