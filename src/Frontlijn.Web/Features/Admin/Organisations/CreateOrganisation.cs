using FluentValidation;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Organisations;

public static class CreateOrganisation
{
    public sealed record Command(
        string Name, string Kind, IReadOnlyList<ServiceInput> Services, string? WebhookUrl, string? WebhookSecret,
        bool? ReplyByLink = null, string? FunctionalEmail = null)
        : ICommand<Organisation>;

    /// <summary>Response times default to 5 working days, 1 when urgent (SPEC).</summary>
    public sealed record ServiceInput(string Code, string Name, int? ResponseDays, int? UrgentResponseDays, ServiceTariff? Tariff = null);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(WebhookAddressPolicy webhookAddresses)
        {
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
            RuleFor(c => c.Kind).NotEmpty().MaximumLength(100).Matches("^[a-z0-9-]+$")
                .WithMessage("Soort is een code in kleine letters, zoals schuldhulp, woningcorporatie of ggz.");
            RuleFor(c => c.Services).NotNull().WithMessage("Geef de diensten van de organisatie (mag een lege lijst zijn).");
            RuleForEach(c => c.Services).NotNull().WithMessage("Een dienst mag niet leeg (null) zijn.");
            RuleForEach(c => c.Services).ChildRules(s =>
            {
                s.RuleFor(x => x.Code).NotEmpty().MaximumLength(100).Matches("^[a-z0-9-]+$")
                    .WithMessage("Dienstcode is kebab-case, zoals schuldhulp-intake.");
                s.RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
                s.RuleFor(x => x.ResponseDays).InclusiveBetween(1, 60);
                s.RuleFor(x => x.UrgentResponseDays).InclusiveBetween(1, 60);
                s.RuleFor(x => x).Must(x => (x.UrgentResponseDays ?? 1) <= (x.ResponseDays ?? 5))
                    .OverridePropertyName("urgentResponseDays")
                    .WithMessage("Een spoedverzoek krijgt niet meer tijd dan een gewoon verzoek.");
                s.RuleFor(x => x.Tariff).Must(t => ServiceTariff.Problem(t) is null)
                    .WithMessage((_, t) => ServiceTariff.Problem(t) ?? "");
            });
            RuleFor(c => c.Services).Must(s => s is null || s.Where(x => x is not null).Select(x => x.Code).Distinct().Count() == s.Count(x => x is not null))
                .WithMessage("Elke dienstcode komt één keer voor.");
            // https to a public address (SSRF); the same rule is applied again to every connection (WebhookConnector).
            RuleFor(c => c.WebhookUrl).Custom((url, context) =>
            {
                if (url is not null && webhookAddresses.CheckUrl(url) is { } problem) context.AddFailure(problem);
            });
            RuleFor(c => c.WebhookSecret).NotEmpty().When(c => c.WebhookUrl is not null)
                .WithMessage("Een webhook heeft een geheim nodig om berichten te ondertekenen.");
            RuleFor(c => c.WebhookSecret).Must(WebhookSecretStore.IsStandardSecret).When(c => c.WebhookSecret is not null)
                .WithMessage("Het webhookgeheim is 'whsec_' gevolgd door minstens 24 bytes in base64 (Standard Webhooks).");
            // Outside the building (Features/ReplyLinks): an organisation without accounts answers through mailed links.
            RuleFor(c => c.FunctionalEmail).Must(ReplyLinks.FunctionalEmail.IsValid!).When(c => c.FunctionalEmail is not null)
                .WithMessage(ReplyLinks.FunctionalEmail.Invalid);
            RuleFor(c => c.FunctionalEmail).NotEmpty().When(c => c.ReplyByLink == true)
                .WithMessage(ReplyLinks.FunctionalEmail.Required);
        }
    }

    internal const string NameTakenSql = "SELECT COUNT(*) FROM organisations WHERE name = @name";

    internal const string InsertSql = """
        INSERT INTO organisations (id, name, kind, webhook_url, created_at, reply_by_link, functional_email)
        VALUES (@id, @name, @kind, @webhookUrl, @now, @replyByLink, @functionalEmail)
        """;

    internal const string InsertServiceSql = """
        INSERT INTO organisation_services (id, organisation_id, code, name, response_days, urgent_response_days, tariff_cents, tariff_per)
        VALUES (@id, @organisationId, @code, @name, @responseDays, @urgentResponseDays, @tariffCents, @tariffPer)
        """;

    internal sealed class Handler(DbSession db, TimeProvider time, WebhookSecretStore secrets) : ICommandHandler<Command, Organisation>
    {
        public async ValueTask<Organisation> Handle(Command command, CancellationToken ct)
        {
            if (await db.ExecuteScalarAsync<int>(NameTakenSql, new { name = command.Name }, ct) > 0)
            {
                throw ProblemException.Conflict($"Er is al een organisatie met de naam '{command.Name}'.");
            }
            var id = Guid.CreateVersion7();
            var now = time.GetUtcNow();
            var replyByLink = command.ReplyByLink == true ? 1 : 0;
            await db.ExecuteAsync(InsertSql, new { id, command.Name, command.Kind, command.WebhookUrl, now, replyByLink, command.FunctionalEmail }, ct);
            if (command.WebhookSecret is not null)
            {
                // Encrypted at rest in webhook_secrets; the first of possibly several (rotation).
                await secrets.AddAsync(db, id, command.WebhookSecret, now, ct);
            }
            var services = new List<OrganisationService>();
            foreach (var input in command.Services)
            {
                var service = new OrganisationService(Guid.CreateVersion7(), input.Code, input.Name,
                    input.ResponseDays ?? 5, input.UrgentResponseDays ?? 1, Tariff: input.Tariff);
                await db.ExecuteAsync(InsertServiceSql, new
                {
                    service.Id, organisationId = id, service.Code, service.Name, service.ResponseDays, service.UrgentResponseDays,
                    tariffCents = service.Tariff?.Cents, tariffPer = service.Tariff?.Per,
                }, ct);
                services.Add(service);
            }
            return new Organisation(id, command.Name, command.Kind, services, command.WebhookUrl, command.WebhookSecret is not null,
                ReplyByLink: replyByLink == 1, FunctionalEmail: command.FunctionalEmail);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/organisations", async (Command command, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"/api/v1/organisations/{created.Id}", created);
        })
        .RequireAuthorization(Policies.Admin)
        .WithName("createOrganisation")
        .WithSummary("Organisatie met diensten aanmaken (beheerder)")
        .WithTags("Beheer");
}
