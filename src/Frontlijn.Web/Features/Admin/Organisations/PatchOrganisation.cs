using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Results;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Organisations;

/// <summary>
/// <c>PATCH /api/v1/organisations/{id}</c> (admin, JSON Merge Patch): an organisation over time. The same rules as at
/// creation (name unique, kind a code, the webhook address rule against SSRF); <c>escalationContactId</c> is a
/// back-office user of this organisation (null clears it); <c>active: false</c> stops new requests to it while every
/// request it already has keeps working (the back office still answers them, webhooks still go out).
/// </summary>
public static class PatchOrganisation
{
    public sealed record Command(
        Guid Id,
        Change<string?> Name = default,
        Change<string?> Kind = default,
        Change<string?> WebhookUrl = default,
        Change<Guid?> EscalationContactId = default,
        Change<bool?> Active = default,
        Change<bool?> ReplyByLink = default,
        Change<string?> FunctionalEmail = default) : ICommand<Organisation>;

    /// <summary>The body as the OpenAPI document describes it: every member optional; null clears webhookUrl and
    /// escalationContactId.</summary>
    public sealed record Patch(string? Name, string? Kind, string? WebhookUrl, Guid? EscalationContactId, bool? Active,
        bool? ReplyByLink, string? FunctionalEmail);

    internal static readonly string[] Members = ["name", "kind", "webhookUrl", "escalationContactId", "active", "replyByLink", "functionalEmail"];

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(WebhookAddressPolicy webhookAddresses)
        {
            When(c => c.Name.IsSet, () =>
                RuleFor(c => c.Name.Value).NotEmpty().MaximumLength(200).WithName("name").OverridePropertyName("name"));
            When(c => c.Kind.IsSet, () =>
                RuleFor(c => c.Kind.Value).NotEmpty().MaximumLength(100).Matches("^[a-z0-9-]+$")
                    .WithMessage("Soort is een code in kleine letters, zoals schuldhulp, woningcorporatie of ggz.")
                    .WithName("kind").OverridePropertyName("kind"));
            // The same check as at creation (and again at every connection, WebhookConnector).
            When(c => c.WebhookUrl.IsSet && c.WebhookUrl.Value is not null, () =>
                RuleFor(c => c.WebhookUrl.Value).Custom((url, context) =>
                {
                    if (url is not null && webhookAddresses.CheckUrl(url) is { } problem) context.AddFailure("webhookUrl", problem);
                }));
            When(c => c.Active.IsSet, () =>
                RuleFor(c => c.Active.Value).NotNull().WithMessage("'active' is true of false.").WithName("active").OverridePropertyName("active"));
            When(c => c.ReplyByLink.IsSet, () =>
                RuleFor(c => c.ReplyByLink.Value).NotNull().WithMessage("'replyByLink' is true of false.")
                    .WithName("replyByLink").OverridePropertyName("replyByLink"));
            When(c => c.FunctionalEmail.IsSet && c.FunctionalEmail.Value is not null, () =>
                RuleFor(c => c.FunctionalEmail.Value).Must(ReplyLinks.FunctionalEmail.IsValid!).WithMessage(ReplyLinks.FunctionalEmail.Invalid)
                    .WithName("functionalEmail").OverridePropertyName("functionalEmail"));
        }
    }

    internal const string FindSql = """
        SELECT id, name, kind, webhook_url, deactivated_at, reply_by_link, functional_email,
               (SELECT e.user_id FROM organisation_escalation_contacts e WHERE e.organisation_id = organisations.id) AS escalation_contact_id
        FROM organisations
        WHERE id = @id
        """;

    internal const string NameTakenSql = "SELECT COUNT(*) FROM organisations WHERE name = @name AND id <> @id";

    internal const string ActiveSecretsSql = """
        SELECT COUNT(*) FROM webhook_secrets WHERE organisation_id = @id AND removed_at IS NULL
        """;

    internal const string UpdateSql = """
        UPDATE organisations
        SET name = @name, kind = @kind, webhook_url = @webhookUrl, deactivated_at = @deactivatedAt,
            reply_by_link = @replyByLink, functional_email = @functionalEmail
        WHERE id = @id
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? WebhookUrl { get; init; }
        public DateTimeOffset? DeactivatedAt { get; init; }
        public Guid? EscalationContactId { get; init; }
        public int ReplyByLink { get; init; }
        public string? FunctionalEmail { get; init; }
    }

    internal sealed class Handler(DbSession db, TimeProvider time, IMediator mediator) : ICommandHandler<Command, Organisation>
    {
        public async ValueTask<Organisation> Handle(Command command, CancellationToken ct)
        {
            var current = await db.QuerySingleOrDefaultAsync<Row>(FindSql, new { id = command.Id }, ct)
                          ?? throw ProblemException.NotFound("Deze organisatie");
            var name = command.Name.Or(current.Name)!.Trim();
            var webhookUrl = command.WebhookUrl.Or(current.WebhookUrl);
            var active = command.Active.Or(current.DeactivatedAt is null) ?? true;

            var errors = new List<ValidationFailure>();
            // As at creation: a webhook is signed, so an address needs a secret (added through /webhook-secrets).
            if (command.WebhookUrl.Value is not null && webhookUrl != current.WebhookUrl &&
                await db.ExecuteScalarAsync<int>(ActiveSecretsSql, new { id = command.Id }, ct) == 0)
            {
                errors.Add(new("webhookUrl",
                    "Een webhook heeft een geheim nodig om berichten te ondertekenen; voeg eerst een geheim toe (webhook-secrets)."));
            }
            if (command.EscalationContactId.Value is { } contact &&
                await db.ExecuteScalarAsync<int>(SetEscalationContact.UserOfOrganisationSql,
                    new { userId = contact, organisationId = command.Id }, ct) == 0)
            {
                errors.Add(new("escalationContactId", "Dit is geen back-officemedewerker van deze organisatie."));
            }
            var replyByLink = command.ReplyByLink.Or(current.ReplyByLink == 1) ?? false;
            var functionalEmail = command.FunctionalEmail.Or(current.FunctionalEmail);
            if (replyByLink && string.IsNullOrWhiteSpace(functionalEmail))
            {
                errors.Add(new("functionalEmail", ReplyLinks.FunctionalEmail.Required));
            }
            if (errors.Count > 0) throw new ValidationException(errors);
            if (command.Name.IsSet && await db.ExecuteScalarAsync<int>(NameTakenSql, new { name, id = command.Id }, ct) > 0)
            {
                throw ProblemException.Conflict($"Er is al een organisatie met de naam '{name}'.");
            }

            var deactivatedAt = active ? (DateTimeOffset?)null : current.DeactivatedAt ?? time.GetUtcNow();
            await db.ExecuteAsync(UpdateSql, new
            {
                id = command.Id, name, kind = command.Kind.Or(current.Kind)!, webhookUrl, deactivatedAt,
                replyByLink = replyByLink ? 1 : 0, functionalEmail,
            }, ct);
            if (command.EscalationContactId.IsSet)
            {
                // One rule for the escalation contact, whichever endpoint sets it (replace, in this transaction).
                await db.ExecuteAsync(SetEscalationContact.ClearSql, new { organisationId = command.Id }, ct);
                if (command.EscalationContactId.Value is { } userId)
                {
                    await db.ExecuteAsync(SetEscalationContact.InsertSql, new { organisationId = command.Id, userId }, ct);
                }
            }
            return await mediator.Send(new GetOrganisation.Query(command.Id), ct);
        }
    }

    public static Command Read(Guid id, JsonNode? body)
    {
        var patch = new MergePatch(body, Members);
        var command = new Command(id,
            patch.Text("name"), patch.Text("kind"), patch.Text("webhookUrl"), patch.Uuid("escalationContactId"), patch.Flag("active"),
            patch.Flag("replyByLink"), patch.Text("functionalEmail"));
        patch.ThrowIfInvalid();
        return command;
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPatch("/organisations/{id:guid}", async (Guid id, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(Read(id, await MergePatch.ReadBodyAsync(request, ct)), ct)))
        .Accepts<Patch>(MergePatch.MediaType)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .RequireAuthorization(Policies.Admin)
        .WithName("patchOrganisation")
        .WithSummary("Organisatie wijzigen, deactiveren of weer activeren (beheerder, JSON Merge Patch)")
        .WithTags("Beheer");
}
