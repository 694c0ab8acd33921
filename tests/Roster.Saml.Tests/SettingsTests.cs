namespace Roster.Saml.Tests;

public sealed class SettingsTests
{
    [Fact]
    public void Service_provider_settings_keep_the_exact_acs_url()
    {
        var sp = new ServiceProviderSettings { EntityId = "https://roster.example/saml/acme", AssertionConsumerServiceUrl = "https://roster.example/saml/acme/acs" };
        Assert.NotEqual(sp, sp with { AssertionConsumerServiceUrl = "https://roster.example/saml/acme/acs/" });
    }
}
