namespace Frontlijn.Web.Features.Admin.Organisations;

/// <summary>
/// A back office (instelling) with its services. The webhook secret is write-only: we say whether one is set,
/// never what it is; the webhook URL is shown to admins only (null for everyone else). A deactivated organisation
/// (<c>active: false</c>) receives no new requests; the requests it already has keep working.
/// </summary>
public sealed record Organisation(
    Guid Id, string Name, string Kind, IReadOnlyList<OrganisationService> Services, string? WebhookUrl, bool HasWebhookSecret,
    bool Active = true, Guid? EscalationContactId = null, bool ReplyByLink = false, string? FunctionalEmail = null);

/// <summary>A service an organisation offers, with its response times in working days; an inactive one cannot be
/// requested any more.</summary>
public sealed record OrganisationService(Guid Id, string Code, string Name, int ResponseDays, int UrgentResponseDays, bool Active = true);
