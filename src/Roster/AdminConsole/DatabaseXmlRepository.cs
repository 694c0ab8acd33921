using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Roster.Directory.AdminConsole;

namespace Roster.AdminConsole;

/// <summary>Data-protection keys in Roster's database (see <see cref="DataProtectionKeyStore"/>).
/// IXmlRepository is synchronous; it is called when keys are first needed and when one is made, rarely.</summary>
internal sealed class DatabaseXmlRepository(DataProtectionKeyStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        store.ListAsync().GetAwaiter().GetResult().Select(xml => XElement.Parse(xml)).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        store.StoreAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
}
