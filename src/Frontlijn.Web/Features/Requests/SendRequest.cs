using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Requests;

/// <summary>
/// The household's coach sends a request to a service of an organisation. The due date is the service's response time
/// (urgent or normal) in working days after today. Sharing needs a valid consent of the household for that
/// organisation and purpose (the service code), or a legal basis stated by the coach: one of the configured codes
/// (<see cref="LegalBases"/>), never free text.
/// </summary>
public static class SendRequest
{
    public sealed record Command(
        Guid? HouseholdId, Guid? OrganisationId, string? ServiceCode, string? Question, string? Urgency, string? LegalBasis)
        : ICommand<RequestDetail>;

    public const int MaxQuestionLength = 4000;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(LegalBases legalBases)
        {
            RuleFor(c => c.HouseholdId).NotNull().NotEqual(Guid.Empty);
            RuleFor(c => c.OrganisationId).NotNull().NotEqual(Guid.Empty);
            RuleFor(c => c.ServiceCode).NotEmpty().MaximumLength(100);
            RuleFor(c => c.Question).NotEmpty().MaximumLength(MaxQuestionLength);
            RuleFor(c => c.Urgency).NotEmpty().Must(u => u is "normal" or "urgent")
                .WithMessage("Urgentie is normal of urgent.");
            RuleFor(c => c.LegalBasis).Must(b => b is null || legalBases.IsKnown(b))
                .WithMessage($"Onbekende wettelijke grondslag; toegestaan zijn: {legalBases.AllowedCodes}.");
        }
    }

    internal const string ServiceSql = """
        SELECT s.name, s.response_days, s.urgent_response_days, o.name AS organisation_name, s.tariff_cents, s.tariff_per,
               CASE WHEN s.deactivated_at IS NULL THEN 1 ELSE 0 END AS active
        FROM organisation_services s
        JOIN organisations o ON o.id = s.organisation_id
        WHERE s.organisation_id = @organisationId AND s.code = @serviceCode
        """;

    /// <summary>0 when there is no such organisation, 1 when it is active, 2 when it is deactivated.</summary>
    internal const string OrganisationStateSql = """
        SELECT CASE WHEN deactivated_at IS NULL THEN 1 ELSE 2 END FROM organisations WHERE id = @organisationId
        """;

    // Dates compare as yyyy-MM-dd text on SQLite and as dates elsewhere: both order correctly.
    internal const string ConsentsSql = """
        SELECT id, given_on, valid_until, withdrawn_on
        FROM consents
        WHERE household_id = @householdId AND organisation_id = @organisationId AND purpose = @purpose
        ORDER BY valid_until DESC, id
        """;

    internal const string InsertSql = """
        INSERT INTO requests (id, household_id, organisation_id, service_code, question, urgency, legal_basis, consent_id,
                              sent_by, status, version, sent_at, due_at, updated_at, escalation_level, tariff_cents, tariff_per)
        VALUES (@id, @householdId, @organisationId, @serviceCode, @question, @urgency, @legalBasis, @consentId,
                @sentBy, 'sent', 1, @now, @dueAt, @now, 0, @tariffCents, @tariffPer)
        """;

    internal const string InsertHistorySql = """
        INSERT INTO request_status_changes (id, request_id, version, change_kind, from_status, to_status, note, reason_code,
                                            due_at, changed_by, changed_at)
        VALUES (@id, @requestId, @version, @changeKind, @fromStatus, @toStatus, @note, @reasonCode, @dueAt, @changedBy, @now)
        """;

    internal sealed record ServiceRow
    {
        public string Name { get; init; } = "";
        public int ResponseDays { get; init; }
        public int UrgentResponseDays { get; init; }
        public string OrganisationName { get; init; } = "";
        public int Active { get; init; }
        public long? TariffCents { get; init; }
        public string? TariffPer { get; init; }
    }

    internal sealed record ConsentRow
    {
        public Guid Id { get; init; }
        public DateOnly GivenOn { get; init; }
        public DateOnly ValidUntil { get; init; }
        public DateOnly? WithdrawnOn { get; init; }
    }

    internal sealed class Handler(
        DbSession db, CurrentUser user, HouseholdAccess households, AccessLogWriter log, Notifier notifier,
        WebhookOutbox webhooks, WorkingDays calendar, TimeProvider time, ReplyLinks.ReplyLinkOffer replyLinks)
        : ICommandHandler<Command, RequestDetail>
    {
        public async ValueTask<RequestDetail> Handle(Command command, CancellationToken ct)
        {
            var householdId = command.HouseholdId!.Value;
            var organisationId = command.OrganisationId!.Value;
            // Locked like every change of a household: a handover or closure at the same moment is either before this
            // request (then the checks below see it) or after it, never half-way.
            var household = await households.LockForChangeAsync(householdId, ct, "request");
            await households.RequireOwnCoachAsync(household, "create", "request",
                "Alleen de coach van dit huishouden (of diens waarnemer) verstuurt verzoeken: één huishouden, één contactpersoon.", ct);
            if (household.Status is HouseholdStatus.Closed or HouseholdStatus.Closing)
            {
                throw ProblemException.Conflict("Dit huishouden wordt afgesloten; er kunnen geen verzoeken meer worden verstuurd.");
            }
            var organisationState = await db.ExecuteScalarAsync<int>(OrganisationStateSql, new { organisationId }, ct);
            if (organisationState == 0)
            {
                throw ProblemException.NotFound("Deze organisatie");
            }
            if (organisationState == 2)
            {
                // Deactivated by the admin (PATCH /organisations/{id}): what it already has keeps working, nothing new.
                throw ProblemException.Conflict("Deze organisatie is gedeactiveerd en neemt geen nieuwe verzoeken aan.");
            }
            var service = await db.QuerySingleOrDefaultAsync<ServiceRow>(ServiceSql, new { organisationId, command.ServiceCode }, ct)
                          ?? throw new ValidationException([new("serviceCode", $"De organisatie biedt geen dienst '{command.ServiceCode}'.")]);
            if (service.Active == 0)
            {
                throw ProblemException.Conflict($"De dienst '{service.Name}' van {service.OrganisationName} is gedeactiveerd en kan niet meer worden aangevraagd.");
            }

            var now = time.GetUtcNow();
            var today = WorkingDays.LocalDate(now);
            var consents = (await db.QueryAsync<ConsentRow>(ConsentsSql, new { householdId, organisationId, purpose = command.ServiceCode }, ct)).ToList();
            var consent = consents.FirstOrDefault(c => c.WithdrawnOn is null && c.GivenOn <= today && c.ValidUntil >= today);
            if (consent is null && command.LegalBasis is null)
            {
                throw ProblemException.Conflict(WhyNoConsent(consents, today, service.OrganisationName, command.ServiceCode!));
            }

            var id = Guid.CreateVersion7(now);
            var dueAt = calendar.DueAt(now, command.Urgency == "urgent" ? service.UrgentResponseDays : service.ResponseDays);
            await db.ExecuteAsync(InsertSql, new
            {
                id, householdId, organisationId, command.ServiceCode, command.Question, command.Urgency, command.LegalBasis,
                consentId = consent?.Id, sentBy = user.Id, now, dueAt,
                // The tariff in force now stays with the request, like its due date (costs, docs/features/costs.md).
                service.TariffCents, service.TariffPer,
            }, ct);
            await db.ExecuteAsync(InsertHistorySql, new
            {
                id = Guid.CreateVersion7(now), requestId = id, version = 1, changeKind = RequestStatus.Sent, fromStatus = (string?)null,
                toStatus = RequestStatus.Sent, note = (string?)null, reasonCode = (string?)null, dueAt, changedBy = user.Id, now,
            }, ct);
            await log.WriteAsync("create", "request", id, householdId, ct);

            var row = new RequestRow
            {
                Id = id, HouseholdId = householdId, OrganisationId = organisationId, OrganisationName = service.OrganisationName,
                ServiceCode = command.ServiceCode!, ServiceName = service.Name, Question = command.Question!,
                Urgency = command.Urgency!, LegalBasis = command.LegalBasis, ConsentId = consent?.Id, SentBy = user.Id,
                Status = RequestStatus.Sent, Version = 1, SentAt = now, DueAt = dueAt, TeamId = household.TeamId,
                CoachId = household.CoachId,
            };
            await notifier.NotifyAsync(await RequestRecipients.BackOfficeAsync(db, organisationId, ct), RequestEventTypes.Sent,
                $"Nieuw verzoek: {service.Name}", householdId, id, ct);
            await webhooks.EnqueueAsync(organisationId, RequestEventTypes.Sent, id, row.EventData(RequestStatus.Sent, 1, dueAt), ct);
            // An organisation without accounts gets the request as a mail with a reply link (Features/ReplyLinks).
            await replyLinks.OfferAsync(id, organisationId, ct);
            return row.ToDetail(now);
        }

        private static string WhyNoConsent(List<ConsentRow> consents, DateOnly today, string organisation, string purpose)
        {
            var reason = consents.Count == 0
                ? "Er is geen toestemming van het huishouden vastgelegd"
                : consents.All(c => c.WithdrawnOn is not null)
                    ? "De toestemming van het huishouden is ingetrokken"
                    : consents.Any(c => c.WithdrawnOn is null && c.GivenOn > today)
                        ? "De toestemming van het huishouden gaat pas later in"
                        : "De toestemming van het huishouden is verlopen";
            return $"{reason} voor {organisation} en doel '{purpose}', en er is geen wettelijke grondslag opgegeven " +
                   "(legalBasis, bijvoorbeeld zwaarwegend-belang). Zonder een van beide wordt niets gedeeld.";
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/requests", async (Command command, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"/api/v1/requests/{created.Id}", created);
        })
        .RequireAuthorization(Policies.Coach)
        .WithName("sendRequest")
        .WithSummary("Verzoek aan een dienst van een organisatie versturen (coach van het huishouden)")
        .WithTags("Verzoeken");
}
