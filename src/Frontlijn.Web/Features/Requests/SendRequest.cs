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

    // Everything the request needs to know about its addressee, in ONE statement (issue 12: it was four, plus the
    // webhook URL and the reply-link settings read again by WebhookOutbox and ReplyLinkOffer): no row = no such
    // organisation; service columns NULL = it offers no such service; one row per consent of the household for this
    // organisation and purpose (none: consent_id NULL), newest validity first.
    // Dates compare as yyyy-MM-dd text on SQLite and as dates elsewhere: both order correctly.
    internal const string AddresseeSql = """
        SELECT CASE WHEN o.deactivated_at IS NULL THEN 1 ELSE 2 END AS organisation_state, o.name AS organisation_name,
               o.webhook_url, o.reply_by_link, o.functional_email,
               s.code AS service_code, s.name AS service_name, s.response_days, s.urgent_response_days, s.tariff_cents,
               s.tariff_per, CASE WHEN s.deactivated_at IS NULL THEN 1 ELSE 0 END AS service_active,
               c.id AS consent_id, c.given_on, c.valid_until, c.withdrawn_on
        FROM organisations o
        LEFT JOIN organisation_services s ON s.organisation_id = o.id AND s.code = @serviceCode
        LEFT JOIN consents c ON c.household_id = @householdId AND c.organisation_id = o.id AND c.purpose = @serviceCode
        WHERE o.id = @organisationId
        ORDER BY c.valid_until DESC, c.id
        """;

    // The household's lock and read, then the addressee, in ONE command (issue 12, branch creation2: it was two round
    // trips): the addressee statement starts once the lock is granted, as it did when it was sent after it
    // (HouseholdAccess.LockVisibleThenFind), so a consent withdrawn by a change that held the lock is seen. Its rows
    // are used only once the lock is taken and the checks below pass, in the same order as before.
    internal const string LockThenReadAddressee = HouseholdAccess.LockVisibleThenFind + ";\n" + AddresseeSql;

    // The request, its first history entry and the access-log row of its creation in one command (one round trip;
    // Npgsql sends the statements together): the row is written with the request in the request's transaction, as
    // AccessLogWriter.WriteAsync would have written it there. The request's parameters are named so that none is a
    // parameter of AccessLogWriter.InsertSql (its @id is the log row's, its @householdId the same household).
    internal const string InsertSql = """
        INSERT INTO requests (id, household_id, organisation_id, service_code, question, urgency, legal_basis, consent_id,
                              sent_by, status, version, sent_at, due_at, updated_at, escalation_level, tariff_cents, tariff_per)
        VALUES (@requestId, @requestHouseholdId, @organisationId, @serviceCode, @question, @urgency, @legalBasis, @consentId,
                @sentBy, 'sent', 1, @now, @dueAt, @now, 0, @tariffCents, @tariffPer);
        INSERT INTO request_status_changes (id, request_id, version, change_kind, from_status, to_status, note, reason_code,
                                            due_at, changed_by, changed_at)
        VALUES (@historyId, @requestId, 1, 'sent', NULL, 'sent', NULL, NULL, @dueAt, @sentBy, @now);
        """ + "\n" + AccessLogWriter.InsertSql;

    // PostgreSQL, when the organisation gets no webhook event and no reply-link offer (nothing else to write): the
    // inserts above and the back-office notification in ONE command (issue 12, branch creation2). The notification is
    // still the last statement, so the organisation's cursor row lock is held for it and the commit, as before. Its
    // parameters: @requestId and @organisationId are the request's, @householdId the access-log row's (the same
    // household), @type, @title and @createdAt its own (SendRequestSqlTests checks that no other name is shared).
    internal const string InsertAndNotifyBackOfficePostgres = InsertSql + ";\n" + Notifier.NotifyBackOfficePostgres;

    /// <summary>A history entry (also used by ChangeRequestStatus).</summary>
    internal const string InsertHistorySql = """
        INSERT INTO request_status_changes (id, request_id, version, change_kind, from_status, to_status, note, reason_code,
                                            due_at, changed_by, changed_at)
        VALUES (@id, @requestId, @version, @changeKind, @fromStatus, @toStatus, @note, @reasonCode, @dueAt, @changedBy, @now)
        """;

    internal sealed record AddresseeRow
    {
        public int OrganisationState { get; init; }
        public string OrganisationName { get; init; } = "";
        public string? WebhookUrl { get; init; }
        public int ReplyByLink { get; init; }
        public string? FunctionalEmail { get; init; }
        public string? ServiceCode { get; init; }
        public string ServiceName { get; init; } = "";
        public int ResponseDays { get; init; }
        public int UrgentResponseDays { get; init; }
        public long? TariffCents { get; init; }
        public string? TariffPer { get; init; }
        public int ServiceActive { get; init; }
        public Guid? ConsentId { get; init; }
        public DateOnly? GivenOn { get; init; }
        public DateOnly? ValidUntil { get; init; }
        public DateOnly? WithdrawnOn { get; init; }
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
            var addresseeParam = new { organisationId, command.ServiceCode, householdId };
            var (household, addresseeRead) = await households.LockForChangeAsync(householdId, "request",
                new HouseholdAccess.AlsoRead<List<AddresseeRow>>(LockThenReadAddressee, addresseeParam,
                    async grid => (await grid.ReadAsync<AddresseeRow>()).ToList()), ct);
            await households.RequireOwnCoachAsync(household, "create", "request",
                "Alleen de coach van dit huishouden (of diens waarnemer) verstuurt verzoeken: één huishouden, één contactpersoon.", ct);
            if (household.Status is HouseholdStatus.Closed or HouseholdStatus.Closing)
            {
                throw ProblemException.Conflict("Dit huishouden wordt afgesloten; er kunnen geen verzoeken meer worden verstuurd.");
            }
            // Read with the lock in the usual case; on the other paths (SQL Server, a household that just moved to the
            // caller's team) now, after the lock, as before.
            var addressee = addresseeRead ?? (await db.QueryAsync<AddresseeRow>(AddresseeSql, addresseeParam, ct)).ToList();
            if (addressee.Count == 0)
            {
                throw ProblemException.NotFound("Deze organisatie");
            }
            var service = addressee[0];
            if (service.OrganisationState == 2)
            {
                // Deactivated by the admin (PATCH /organisations/{id}): what it already has keeps working, nothing new.
                throw ProblemException.Conflict("Deze organisatie is gedeactiveerd en neemt geen nieuwe verzoeken aan.");
            }
            if (service.ServiceCode is null)
            {
                throw new ValidationException([new("serviceCode", $"De organisatie biedt geen dienst '{command.ServiceCode}'.")]);
            }
            if (service.ServiceActive == 0)
            {
                throw ProblemException.Conflict($"De dienst '{service.ServiceName}' van {service.OrganisationName} is gedeactiveerd en kan niet meer worden aangevraagd.");
            }

            var now = time.GetUtcNow();
            var today = WorkingDays.LocalDate(now);
            var consents = addressee.Where(r => r.ConsentId is not null)
                .Select(r => new ConsentRow { Id = r.ConsentId!.Value, GivenOn = r.GivenOn!.Value, ValidUntil = r.ValidUntil!.Value, WithdrawnOn = r.WithdrawnOn })
                .ToList();
            var consent = consents.FirstOrDefault(c => c.WithdrawnOn is null && c.GivenOn <= today && c.ValidUntil >= today);
            if (consent is null && command.LegalBasis is null)
            {
                throw ProblemException.Conflict(WhyNoConsent(consents, today, service.OrganisationName, command.ServiceCode!));
            }

            var id = Guid.CreateVersion7(now);
            var dueAt = calendar.DueAt(now, command.Urgency == "urgent" ? service.UrgentResponseDays : service.ResponseDays);
            var logRow = await log.SuccessRowAsync("create", "request", id, householdId, ct);
            var historyId = Guid.CreateVersion7(now);
            var title = $"Nieuw verzoek: {service.ServiceName}";
            var row = new RequestRow
            {
                Id = id, HouseholdId = householdId, OrganisationId = organisationId, OrganisationName = service.OrganisationName,
                ServiceCode = command.ServiceCode!, ServiceName = service.ServiceName, Question = command.Question!,
                Urgency = command.Urgency!, LegalBasis = command.LegalBasis, ConsentId = consent?.Id, SentBy = user.Id,
                Status = RequestStatus.Sent, Version = 1, SentAt = now, DueAt = dueAt, TeamId = household.TeamId,
                CoachId = household.CoachId,
            };
            var replyLink = new ReplyLinks.ReplyLinkOffer.OrganisationRow { ReplyByLink = service.ReplyByLink, FunctionalEmail = service.FunctionalEmail };
            var insert = new
            {
                requestId = id, historyId, requestHouseholdId = householdId, organisationId,
                command.ServiceCode, command.Question, command.Urgency, command.LegalBasis, consentId = consent?.Id,
                sentBy = user.Id, now, dueAt,
                // The tariff in force now stays with the request, like its due date (costs, docs/features/costs.md).
                service.TariffCents, service.TariffPer,
            };
            if (db.Dialect.Provider == DatabaseProvider.Postgres && service.WebhookUrl is null && !ReplyLinks.ReplyLinkOffer.Offers(replyLink))
            {
                // Nothing to write between the inserts and the notification: all of it in one command, notification last.
                await notifier.NotifyBackOfficeAfterAsync(InsertAndNotifyBackOfficePostgres, new
                {
                    insert.requestId, insert.historyId, insert.requestHouseholdId, insert.organisationId, insert.ServiceCode,
                    insert.Question, insert.Urgency, insert.LegalBasis, insert.consentId, insert.sentBy, insert.now, insert.dueAt,
                    insert.TariffCents, insert.TariffPer, type = RequestEventTypes.Sent, title, createdAt = now,
                }, logRow, RequestEventTypes.Sent, title, householdId, id, now, ct);
                return row.ToDetail(now);
            }
            await db.ExecuteAsync(InsertSql, insert, logRow, ct);
            await webhooks.EnqueueAsync(organisationId, service.WebhookUrl, RequestEventTypes.Sent, id,
                row.EventData(RequestStatus.Sent, 1, dueAt), ct);
            // An organisation without accounts gets the request as a mail with a reply link (Features/ReplyLinks).
            await replyLinks.OfferAsync(id, organisationId, replyLink, ct);
            // Last, right before the commit: notifying the back office bumps and locks the organisation's cursor row
            // (one row for the whole back office since 0027), so that organisation's requests queue on that lock for
            // as long as it is held. As the last statement it is held for it and the commit, not for the webhook and
            // reply-link writes too (issue 12). The push still waits for the commit (AfterCommit).
            await notifier.NotifyBackOfficeAsync(organisationId, RequestEventTypes.Sent, title, householdId, id, ct);
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
