namespace Roster.Testing.Saml;

/// <summary>One Attribute of the AttributeStatement, with its values in order.</summary>
public sealed record TestSamlAttribute(string Name, params IReadOnlyList<string> Values);
