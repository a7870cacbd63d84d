using FluentValidation;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Webhooks;

/// <summary>
/// Rotation, step 1: add a secret next to the current one(s). From then on every delivery carries a signature per
/// active secret, so the receiver can switch at its own pace; step 2 is <see cref="RemoveWebhookSecret"/>.
/// <para>
/// Standard Webhooks has the sender generate the secret (random, 24–64 bytes, <c>whsec_</c> + base64), so that is the
/// default: send <c>{}</c> and the answer carries the new secret, that one time only (it is stored encrypted and never
/// shown again). A receiver whose software insists on choosing its own may send it as <c>{"secret": "whsec_..."}</c>; it
/// is then never echoed back.
/// </para>
/// </summary>
public static class AddWebhookSecret
{
    /// <summary>Request body; <c>secret</c> optional.</summary>
    public sealed record Body(string? Secret);

    public sealed record Command(Guid OrganisationId, string? Secret) : ICommand<Created>;

    /// <summary><c>secret</c> is only filled when Frontlijn generated it: copy it now, it is not shown again.</summary>
    public sealed record Created(Guid Id, DateTimeOffset CreatedAt, string? Secret);

    /// <summary>Enough for a rotation with some slack; more would only mean more signatures to compute per delivery.</summary>
    public const int MaxActive = 5;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(c => c.Secret).Must(WebhookSecretStore.IsStandardSecret).When(c => c.Secret is not null)
                .WithMessage("Het webhookgeheim is 'whsec_' gevolgd door 24 tot 64 bytes in base64 (Standard Webhooks); " +
                             "laat het weg om er een te laten maken.");
    }

    internal const string OrganisationSql = "SELECT COUNT(*) FROM organisations WHERE id = @organisationId";

    internal const string ActiveCountSql =
        "SELECT COUNT(*) FROM webhook_secrets WHERE organisation_id = @organisationId AND removed_at IS NULL";

    internal sealed class Handler(DbSession db, TimeProvider time, WebhookSecretStore store) : ICommandHandler<Command, Created>
    {
        public async ValueTask<Created> Handle(Command command, CancellationToken ct)
        {
            if (await db.ExecuteScalarAsync<int>(OrganisationSql, new { command.OrganisationId }, ct) == 0)
            {
                throw ProblemException.NotFound("Deze organisatie");
            }
            if (await db.ExecuteScalarAsync<int>(ActiveCountSql, new { command.OrganisationId }, ct) >= MaxActive)
            {
                throw ProblemException.Conflict(
                    $"Deze organisatie heeft al {MaxActive} actieve webhookgeheimen; verwijder eerst een oud geheim.");
            }
            var generated = command.Secret is null;
            var secret = command.Secret ?? WebhookSecretStore.Generate();
            var now = time.GetUtcNow();
            var id = await store.AddAsync(db, command.OrganisationId, secret, now, ct);
            return new Created(id, now, generated ? secret : null);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/organisations/{id:guid}/webhook-secrets", async (Guid id, Body? body, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(new Command(id, body?.Secret), ct);
            return TypedResults.Created($"/api/v1/organisations/{id}/webhook-secrets/{created.Id}", created);
        })
        .RequireAuthorization(Policies.Admin)
        .WithName("addWebhookSecret")
        .WithSummary("Webhookgeheim toevoegen (beheerder); zonder secret maakt Frontlijn er een en toont het eenmalig")
        .WithTags("Webhooks");
}
