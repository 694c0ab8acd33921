namespace Roster.Scim.Schema;

/// <summary>The schemas Roster serves, transcribed from RFC 7643 §4.1, §4.3 and §8.7.1.</summary>
public static class ScimSchemas
{
    public const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string EnterpriseUserUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string ListResponseUrn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string ErrorUrn = "urn:ietf:params:scim:api:messages:2.0:Error";
    public const string PatchOpUrn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string SearchRequestUrn = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    public const string ServiceProviderConfigUrn = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    public const string ResourceTypeUrn = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    public const string SchemaUrn = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    public const string GroupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string BulkRequestUrn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    public const string BulkResponseUrn = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

    /// <summary>The schema URNs RFC 7643 §10.2 and RFC 7644 §10.1 register: no enterprise may declare
    /// one of them as its own.</summary>
    public static readonly IReadOnlyList<string> StandardUrns =
    [
        UserUrn, GroupUrn, EnterpriseUserUrn, ServiceProviderConfigUrn, ResourceTypeUrn, SchemaUrn,
        ListResponseUrn, SearchRequestUrn, PatchOpUrn, BulkRequestUrn, BulkResponseUrn, ErrorUrn,
    ];

    /// <summary>The namespaces of SCIM's core schemas and of its protocol messages: whatever is
    /// declared there would one day collide with a schema the RFCs (or their successors) define.</summary>
    public static readonly IReadOnlyList<string> ReservedUrnPrefixes =
        ["urn:ietf:params:scim:schemas:core:", "urn:ietf:params:scim:api:"];

    static AttributeDefinition Str(string name, string description, bool caseExact = false, bool required = false,
        Mutability mutability = Mutability.ReadWrite, Returned returned = Returned.Default,
        Uniqueness uniqueness = Uniqueness.None, IReadOnlyList<string>? canonical = null) => new()
    {
        Name = name, Description = description, CaseExact = caseExact, Required = required, Mutability = mutability,
        Returned = returned, Uniqueness = uniqueness, CanonicalValues = canonical ?? [],
    };

    static AttributeDefinition Bool(string name, string description) =>
        new() { Name = name, Type = AttributeType.Boolean, Description = description };

    static AttributeDefinition Ref(string name, string description, IReadOnlyList<string> referenceTypes,
        Mutability mutability = Mutability.ReadWrite) =>
        new() { Name = name, Type = AttributeType.Reference, Description = description, ReferenceTypes = referenceTypes, Mutability = mutability };

    /// <summary>The sub-attributes every multi-valued attribute shares (RFC 7643 §2.4).</summary>
    static AttributeDefinition MultiValued(string name, string description, AttributeDefinition value,
        IReadOnlyList<string> types, Mutability mutability = Mutability.ReadWrite, bool withPrimary = true,
        bool withRef = false, IReadOnlyList<string>? referenceTypes = null)
    {
        var subs = new List<AttributeDefinition> { value, Str("display", "A human-readable name, primarily used for display purposes.", mutability: mutability) };
        subs.Add(Str("type", "A label indicating the attribute's function.", mutability: mutability, canonical: types));
        if (withPrimary) subs.Add(new() { Name = "primary", Type = AttributeType.Boolean, Mutability = mutability, Description = "A Boolean value indicating the 'primary' or preferred attribute value for this attribute." });
        if (withRef) subs.Add(Ref("$ref", "The URI of the referenced resource.", referenceTypes ?? [], mutability));
        return new()
        {
            Name = name, Type = AttributeType.Complex, MultiValued = true, Description = description,
            Mutability = mutability, SubAttributes = subs,
        };
    }

    public static readonly SchemaDefinition User = new(UserUrn, "User", "User Account",
    [
        Str("userName", "Unique identifier for the User, typically used by the user to directly authenticate to the service provider. REQUIRED.",
            required: true, uniqueness: Uniqueness.Server),
        new()
        {
            Name = "name", Type = AttributeType.Complex, Description = "The components of the user's real name.",
            SubAttributes =
            [
                Str("formatted", "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display."),
                Str("familyName", "The family name of the User, or last name."),
                Str("givenName", "The given name of the User, or first name."),
                Str("middleName", "The middle name(s) of the User."),
                Str("honorificPrefix", "The honorific prefix(es) of the User, or title in most Western languages."),
                Str("honorificSuffix", "The honorific suffix(es) of the User, or suffix in most Western languages."),
            ],
        },
        Str("displayName", "The name of the User, suitable for display to end-users."),
        Str("nickName", "The casual way to address the user in real life."),
        Ref("profileUrl", "A fully qualified URL pointing to a page representing the User's online profile.", ["external"]),
        Str("title", "The user's title, such as \"Vice President\"."),
        Str("userType", "Used to identify the relationship between the organization and the user."),
        Str("preferredLanguage", "Indicates the User's preferred written or spoken language."),
        Str("locale", "Used to indicate the User's default location for purposes of localizing items."),
        Str("timezone", "The User's time zone in the 'Olson' time zone database format."),
        Bool("active", "A Boolean value indicating the User's administrative status."),
        Str("password", "The User's cleartext password. Accepted, never stored or returned: members sign in with SAML.",
            caseExact: true, mutability: Mutability.WriteOnly, returned: Returned.Never),
        MultiValued("emails", "Email addresses for the user.", Str("value", "Email address for the user."), ["work", "home", "other"]),
        MultiValued("phoneNumbers", "Phone numbers for the User.", Str("value", "Phone number of the User."), ["work", "home", "mobile", "fax", "pager", "other"]),
        MultiValued("ims", "Instant messaging addresses for the User.", Str("value", "Instant messaging address for the User."), ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
        MultiValued("photos", "URLs of photos of the User.", Ref("value", "URL of a photo of the User.", ["external"]), ["photo", "thumbnail"]),
        new()
        {
            Name = "addresses", Type = AttributeType.Complex, MultiValued = true, Description = "A physical mailing address for this User.",
            SubAttributes =
            [
                Str("formatted", "The full mailing address, formatted for display or use with a mailing label."),
                Str("streetAddress", "The full street address component."),
                Str("locality", "The city or locality component."),
                Str("region", "The state or region component."),
                Str("postalCode", "The zip code or postal code component."),
                Str("country", "The country name component."),
                Str("type", "A label indicating the attribute's function.", canonical: ["work", "home", "other"]),
                new() { Name = "primary", Type = AttributeType.Boolean, Description = "A Boolean value indicating the 'primary' or preferred address." },
            ],
        },
        MultiValued("groups", "A list of groups to which the user belongs.", Str("value", "The identifier of the User's group.", mutability: Mutability.ReadOnly),
            ["direct", "indirect"], Mutability.ReadOnly, withPrimary: false, withRef: true, referenceTypes: ["Group"]),
        MultiValued("entitlements", "A list of entitlements for the User.", Str("value", "The value of an entitlement."), []),
        MultiValued("roles", "A list of roles for the User.", Str("value", "The value of a role."), []),
        MultiValued("x509Certificates", "A list of certificates issued to the User.",
            new() { Name = "value", Type = AttributeType.Binary, Description = "The value of an X.509 certificate." }, []),
    ]);

    public static readonly SchemaDefinition EnterpriseUser = new(EnterpriseUserUrn, "EnterpriseUser", "Enterprise User",
    [
        Str("employeeNumber", "Numeric or alphanumeric identifier assigned to a person."),
        Str("costCenter", "Identifies the name of a cost center."),
        Str("organization", "Identifies the name of an organization."),
        Str("division", "Identifies the name of a division."),
        Str("department", "Identifies the name of a department."),
        new()
        {
            Name = "manager", Type = AttributeType.Complex, Description = "The User's manager.",
            SubAttributes =
            [
                Str("value", "The id of the SCIM resource representing the User's manager."),
                Ref("$ref", "The URI of the SCIM resource representing the User's manager.", ["User"]),
                Str("displayName", "The displayName of the User's manager.", mutability: Mutability.ReadOnly),
            ],
        },
    ]);

    public static readonly ResourceTypeDefinition UserResourceType = new("User", "/Users", "User Account", User,
        [new SchemaExtension(EnterpriseUser, Required: false)]);

    /// <summary>The User resource type of one enterprise: <see cref="UserResourceType"/> plus the schemas
    /// it declared, each an optional extension, in the order given.</summary>
    /// <exception cref="InvalidSchemaException">Two schemas whose URNs collide.</exception>
    public static ResourceTypeDefinition UserResourceTypeWith(IEnumerable<SchemaDefinition> declared) =>
        UserResourceType.WithOptionalExtensions(declared);

    /// <summary>The Group schema (RFC 7643 §4.2, §8.7.1). Members are Users of the enterprise; their
    /// <c>display</c> is the member's, whatever the client sent.</summary>
    public static readonly SchemaDefinition Group = new(GroupUrn, "Group", "Group",
    [
        Str("displayName", "A human-readable name for the Group. REQUIRED.", required: true, uniqueness: Uniqueness.Server),
        new()
        {
            Name = "members", Type = AttributeType.Complex, MultiValued = true, Description = "A list of members of the Group.",
            SubAttributes =
            [
                Str("value", "Identifier of the member of this Group.", caseExact: true, mutability: Mutability.Immutable),
                Ref("$ref", "The URI corresponding to a SCIM resource that is a member of this Group.", ["User", "Group"], Mutability.Immutable),
                Str("display", "A human-readable name, primarily used for display purposes."),
                Str("type", "A label indicating the type of resource, e.g., 'User' or 'Group'.", mutability: Mutability.Immutable, canonical: ["User", "Group"]),
            ],
        },
    ]);

    public static readonly ResourceTypeDefinition GroupResourceType = new("Group", "/Groups", "Group", Group, []);

    /// <summary>The extra schema URN Entra ID puts in the <c>schemas</c> of a Group it creates: accepted, ignored.</summary>
    public const string EntraGroupUrn = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

    /// <summary>The attributes every resource carries (RFC 7643 §3.1), outside any schema's list.</summary>
    public static readonly IReadOnlyList<AttributeDefinition> CommonAttributes =
    [
        new() { Name = "id", CaseExact = true, Mutability = Mutability.ReadOnly, Returned = Returned.Always, Uniqueness = Uniqueness.Server, Description = "A unique identifier for a SCIM resource as defined by the service provider." },
        new() { Name = "externalId", CaseExact = true, Description = "A String that is an identifier for the resource as defined by the provisioning client." },
        new()
        {
            Name = "meta", Type = AttributeType.Complex, Mutability = Mutability.ReadOnly, Description = "A complex attribute containing resource metadata.",
            SubAttributes =
            [
                new() { Name = "resourceType", CaseExact = true, Mutability = Mutability.ReadOnly, Description = "The name of the resource type of the resource." },
                new() { Name = "created", Type = AttributeType.DateTime, Mutability = Mutability.ReadOnly, Description = "The DateTime that the resource was added to the service provider." },
                new() { Name = "lastModified", Type = AttributeType.DateTime, Mutability = Mutability.ReadOnly, Description = "The most recent DateTime that the details of this resource were updated at the service provider." },
                new() { Name = "location", Type = AttributeType.Reference, CaseExact = true, Mutability = Mutability.ReadOnly, Description = "The URI of the resource being returned." },
                new() { Name = "version", CaseExact = true, Mutability = Mutability.ReadOnly, Description = "The version of the resource being returned." },
            ],
        },
    ];

    /// <summary>
    /// The <c>schemas</c> attribute every resource carries (RFC 7643 §3). Kept apart from
    /// <see cref="CommonAttributes"/>, which lists the attributes of RFC 7643 §3.1, so that filters and PATCH
    /// paths can name it: it is read-only to clients because the service provider derives it from the
    /// extensions a resource uses.
    /// </summary>
    public static readonly AttributeDefinition SchemasAttribute = new()
    {
        Name = "schemas", Type = AttributeType.Reference, MultiValued = true, Mutability = Mutability.ReadOnly,
        Returned = Returned.Always, Description = "The schema URNs that define the attributes present in the resource.",
    };

    public static AttributeDefinition? FindCommonAttribute(string name)
    {
        foreach (var attribute in CommonAttributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase)) return attribute;
        }
        return null;
    }
}
