namespace Roster.Saml.Tests.Support;

/// <summary>The sample IdP metadata in Samples/ (see Samples/README.md).</summary>
public static class Samples
{
    public const string OktaAppId = "exkb2lq7x9RzT4wPj697";
    public const string EntraTenant = "9f3a6c1e-2b7d-4e58-a1c4-6d0b8e2f7a53";

    public static string Okta => Read("okta-idp-metadata.xml");

    public static string Entra => Read("entra-idp-metadata.xml");

    static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));
}
