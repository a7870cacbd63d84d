using Frontlijn.Web.Features.Requests;

namespace Frontlijn.Web.Features.Consents;

/// <summary>
/// A household's consent to share with one organisation for one purpose. The purpose is a service code of that
/// organisation: it is what a request names, so "valid consent for that organisation and purpose" is a plain match.
/// Valid on a day when given on or before it, valid until on or after it, and not withdrawn.
/// </summary>
public sealed record Consent(
    Guid Id, Guid HouseholdId, Guid OrganisationId, string Purpose, Guid GivenByMemberId, DateOnly GivenOn, DateOnly ValidUntil,
    DateOnly? WithdrawnOn, bool Valid);

internal sealed record ConsentRow
{
    public Guid Id { get; init; }
    public Guid HouseholdId { get; init; }
    public Guid OrganisationId { get; init; }
    public string Purpose { get; init; } = "";
    public Guid GivenByMemberId { get; init; }
    public DateOnly GivenOn { get; init; }
    public DateOnly ValidUntil { get; init; }
    public DateOnly? WithdrawnOn { get; init; }

    public const string Columns = "id, household_id, organisation_id, purpose, given_by_member_id, given_on, valid_until, withdrawn_on";

    public Consent ToConsent(DateTimeOffset now)
    {
        var today = WorkingDays.LocalDate(now);
        return new Consent(Id, HouseholdId, OrganisationId, Purpose, GivenByMemberId, GivenOn, ValidUntil, WithdrawnOn,
            WithdrawnOn is null && GivenOn <= today && ValidUntil >= today);
    }
}

public static class ConsentsEndpoints
{
    public static RouteGroupBuilder MapConsents(this RouteGroupBuilder api)
    {
        RecordConsent.Map(api);
        ListConsents.Map(api);
        WithdrawConsent.Map(api);
        return api;
    }
}
