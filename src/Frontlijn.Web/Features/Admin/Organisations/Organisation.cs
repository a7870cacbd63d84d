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
/// requested any more. The tariff (costs, issue 14) is optional: null = the service costs nothing we know of.</summary>
public sealed record OrganisationService(
    Guid Id, string Code, string Name, int ResponseDays, int UrgentResponseDays, bool Active = true, ServiceTariff? Tariff = null);

/// <summary>
/// What a service costs: <c>amount</c> euros (at most two decimals) per answered <c>request</c>, or per started calendar
/// <c>month</c> of involvement (docs/features/costs.md). Stored as whole cents so that SQLite adds up exactly.
/// </summary>
public sealed record ServiceTariff(decimal Amount, string Per)
{
    public const string PerRequest = "request";
    public const string PerMonth = "month";
    public const decimal MaxAmount = 1_000_000m;

    public long Cents => (long)(Amount * 100m);

    public static ServiceTariff? FromCents(long? cents, string? per) =>
        cents is { } c && per is not null ? new ServiceTariff(c / 100m, per) : null;

    /// <summary>The Dutch message for an invalid tariff, or null when it is fine.</summary>
    public static string? Problem(ServiceTariff? tariff) => tariff switch
    {
        null => null,
        { Per: not (PerRequest or PerMonth) } => "Een tarief geldt per 'request' (beantwoord verzoek) of per 'month' (maand betrokkenheid).",
        { Amount: < 0 or > MaxAmount } => "Een tarief ligt tussen 0 en 1.000.000 euro.",
        { Amount: var a } when decimal.Round(a, 2) != a => "Een tarief is in euro's met hoogstens twee decimalen.",
        _ => null,
    };
}
