namespace Roster.Saml.Responses;

/// <summary>Thrown by a validation step to stop the pipeline with a rejection. Never leaves
/// <see cref="SamlResponseValidator.Validate"/>: it is how each step says "no" without every step
/// returning a result the next one must unwrap.</summary>
internal sealed class SamlRejectedException(SamlRejectionReason reason, string detail) : Exception(detail)
{
    public SamlRejection Rejection { get; } = new(reason, detail);
}
