using System.Security.Cryptography;
using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>
/// What an EncryptedAssertion says about itself, read by hand and checked against allowlists before any
/// cryptography: AES-GCM or AES-CBC for the data, RSA-OAEP for the key (rsa-1_5 refused), inline
/// CipherValues only, and nothing to resolve: no RetrievalMethod is followed, no CipherReference
/// fetched, no key looked up by name, and an element the envelope does not know is refused.
/// </summary>
internal sealed record EncryptionEnvelope(
    EncryptionAlgorithms.DataCipher Cipher, XmlElement DataCipherValue,
    RSAEncryptionPadding KeyPadding, XmlElement KeyCipherValue)
{
    /// <summary>The shape Okta, Entra and Shibboleth send: one EncryptedData of type Element, and one
    /// EncryptedKey either in its KeyInfo or beside it (then pointed at by a same-document
    /// RetrievalMethod, which is checked, never followed).</summary>
    public static EncryptionEnvelope Read(XmlElement encryptedAssertion)
    {
        var children = encryptedAssertion.ChildElements().ToList();
        var encryptedData = children.Where(c => c.Is(SamlNames.XmlEnc, "EncryptedData")).ToList();
        var siblingKeys = children.Where(c => c.Is(SamlNames.XmlEnc, "EncryptedKey")).ToList();
        if (encryptedData.Count != 1 || encryptedData.Count + siblingKeys.Count != children.Count)
            throw Disallowed("it must hold exactly one xenc:EncryptedData and at most an xenc:EncryptedKey beside it");
        var data = encryptedData[0];
        RequireOnly(data, EncryptedDataChildren);

        string? type = data.AttributeOrNull("Type");
        if (type is not null && type != EncryptionAlgorithms.ElementType)
            throw Disallowed($"EncryptedData has Type {DetailText.Quote(type)}; expected {EncryptionAlgorithms.ElementType}");
        string? dataAlgorithm = Algorithm(data);
        var cipher = EncryptionAlgorithms.Data(dataAlgorithm)
            ?? throw Disallowed($"the assertion is encrypted with {DetailText.Quote(dataAlgorithm)}; accepted: AES-GCM or AES-CBC");

        var keyInfo = SingleOrNone(data, SamlNames.XmlDsig, "KeyInfo");
        if (keyInfo is not null) RequireOnly(keyInfo, DataKeyInfoChildren);
        var keyInfoChildren = keyInfo?.ChildElements().ToList() ?? [];
        var keysInKeyInfo = keyInfoChildren.Where(c => c.Is(SamlNames.XmlEnc, "EncryptedKey")).ToList();
        var retrievals = keyInfoChildren.Where(c => c.Is(SamlNames.XmlDsig, "RetrievalMethod")).ToList();

        var keys = keysInKeyInfo.Concat(siblingKeys).ToList();
        if (keys.Count != 1)
            throw Disallowed($"it carries {keys.Count} EncryptedKey elements; exactly one is accepted");
        var encryptedKey = keys[0];
        RequireOnly(encryptedKey, EncryptedKeyChildren);
        RequireLocalRetrievals(encryptedAssertion, retrievals, encryptedKey);
        if (encryptedAssertion.DescendantElements().Any(e => e.Is(SamlNames.XmlEnc, "CipherReference")))
            throw Disallowed("it uses a CipherReference; only inline CipherValue is accepted");

        var keyMethod = SingleOrNone(encryptedKey, SamlNames.XmlEnc, "EncryptionMethod");
        if (keyMethod is not null) RequireOnly(keyMethod, KeyEncryptionMethodChildren);
        string? keyAlgorithm = keyMethod?.AttributeOrNull("Algorithm");
        if (keyAlgorithm == EncryptionAlgorithms.RsaPkcs1)
            throw Disallowed("its key is transported with RSA PKCS #1 v1.5 (rsa-1_5), which is open to padding-oracle attacks; configure the IdP for RSA-OAEP");
        if (keyMethod is not null && keyMethod.Children(EncryptionAlgorithms.XmlEnc11, "OAEPparams").Count + keyMethod.Children(SamlNames.XmlEnc, "OAEPparams").Count > 0)
            throw Disallowed("its RSA-OAEP key transport has OAEPparams, which are not supported");
        string? digest = keyMethod is null ? null : SingleOrNone(keyMethod, SamlNames.XmlDsig, "DigestMethod")?.AttributeOrNull("Algorithm");
        string? mask = keyMethod is null ? null : SingleOrNone(keyMethod, EncryptionAlgorithms.XmlEnc11, "MGF")?.AttributeOrNull("Algorithm");
        var padding = EncryptionAlgorithms.KeyTransport(keyAlgorithm, digest, mask)
            ?? throw Disallowed($"its key is transported with {DetailText.Quote(keyAlgorithm)} (digest {DetailText.Quote(digest)}, MGF {DetailText.Quote(mask)}); accepted: RSA-OAEP with one hash for digest and MGF1");

        return new EncryptionEnvelope(cipher, CipherValue(data), padding, CipherValue(encryptedKey));
    }

    /// <summary>Okta and Shibboleth point from EncryptedData to the EncryptedKey beside it. That pointer
    /// is tolerated only when it names that very EncryptedKey; it is never dereferenced.</summary>
    private static void RequireLocalRetrievals(XmlElement encryptedAssertion, List<XmlElement> retrievals, XmlElement encryptedKey)
    {
        var allRetrievals = encryptedAssertion.DescendantElements().Count(e => e.Is(SamlNames.XmlDsig, "RetrievalMethod"));
        if (allRetrievals != retrievals.Count || retrievals.Count > 1)
            throw Disallowed("it holds a RetrievalMethod other than one pointer from EncryptedData to its EncryptedKey");
        foreach (var retrieval in retrievals)
        {
            string? id = encryptedKey.AttributeOrNull("Id");
            string? uri = retrieval.AttributeOrNull("URI");
            if (retrieval.AttributeOrNull("Type") != EncryptionAlgorithms.EncryptedKeyType || string.IsNullOrEmpty(id) || uri != "#" + id)
                throw Disallowed($"its RetrievalMethod points to {DetailText.Quote(uri)}; only a pointer to the EncryptedKey in the same EncryptedAssertion is tolerated, and it is not followed");
        }
    }

    private static readonly (string Namespace, string Name)[] EncryptedDataChildren =
        [(SamlNames.XmlEnc, "EncryptionMethod"), (SamlNames.XmlDsig, "KeyInfo"), (SamlNames.XmlEnc, "CipherData"), (SamlNames.XmlEnc, "EncryptionProperties")];

    private static readonly (string Namespace, string Name)[] DataKeyInfoChildren =
        [(SamlNames.XmlEnc, "EncryptedKey"), (SamlNames.XmlDsig, "RetrievalMethod"), (SamlNames.XmlDsig, "KeyName")];

    private static readonly (string Namespace, string Name)[] EncryptedKeyChildren =
        [.. EncryptedDataChildren, (SamlNames.XmlEnc, "ReferenceList"), (SamlNames.XmlEnc, "CarriedKeyName")];

    private static readonly (string Namespace, string Name)[] KeyEncryptionMethodChildren =
        [(SamlNames.XmlEnc, "KeySize"), (SamlNames.XmlEnc, "OAEPparams"), (EncryptionAlgorithms.XmlEnc11, "OAEPparams"),
         (SamlNames.XmlDsig, "DigestMethod"), (EncryptionAlgorithms.XmlEnc11, "MGF")];

    /// <summary>An element the envelope does not know could change its meaning (a KeyInfo in a
    /// lookalike namespace, say); refusing it keeps one reading of the envelope.</summary>
    private static void RequireOnly(XmlElement parent, (string Namespace, string Name)[] allowed)
    {
        var unknown = parent.ChildElements().FirstOrDefault(child => !allowed.Any(a => child.Is(a.Namespace, a.Name)));
        if (unknown is not null)
            throw Disallowed($"its {parent.LocalName} holds {unknown.Describe()}, which is not understood");
    }

    private static string? Algorithm(XmlElement encrypted) =>
        SingleOrNone(encrypted, SamlNames.XmlEnc, "EncryptionMethod")?.AttributeOrNull("Algorithm");

    private static XmlElement CipherValue(XmlElement encrypted)
    {
        var cipherData = SingleOrNone(encrypted, SamlNames.XmlEnc, "CipherData");
        return (cipherData is null ? null : SingleOrNone(cipherData, SamlNames.XmlEnc, "CipherValue"))
            ?? throw Disallowed($"its {encrypted.LocalName} has no CipherData/CipherValue");
    }

    private static XmlElement? SingleOrNone(XmlElement parent, string namespaceUri, string localName)
    {
        var found = parent.Children(namespaceUri, localName);
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw Disallowed($"its {parent.LocalName} holds {found.Count} {localName} elements"),
        };
    }

    private static SamlRejectedException Disallowed(string why) =>
        new(SamlRejectionReason.DisallowedEncryption, $"The EncryptedAssertion is refused: {why}.");
}
