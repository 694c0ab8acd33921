namespace Roster.Scim.Patching;

/// <summary>The PATCH operations of RFC 7644 §3.5.2 (the <c>op</c> member, matched case-insensitively).</summary>
public enum PatchOperationType
{
    Add,
    Replace,
    Remove,
}
