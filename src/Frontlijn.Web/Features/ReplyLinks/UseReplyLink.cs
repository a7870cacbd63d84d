using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.ReplyLinks;

/// <summary>A link as stored, with what the checks need.</summary>
internal sealed record ReplyLinkRow
{
    public Guid Id { get; init; }
    public Guid RequestId { get; init; }
    public Guid OrganisationId { get; init; }
    public string Email { get; init; } = "";
    public string? TokenHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? MailSentAt { get; init; }
    public DateTimeOffset? FirstOpenedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public int UseCount { get; init; }
    public DateTimeOffset? SpentAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>
/// Turns a token into its link and request, or refuses it. A token we did not issue, or one that no longer matches the
/// stored hash, is 404 ("ongeldig"); a revoked, spent or expired link, or one of a request that is no longer open, is
/// 410 Gone with the reason in Dutch. Every refusal of a known link is access-logged (denied) with the organisation as
/// actor; so is every use. Nothing is changed by a refusal.
/// </summary>
public sealed class ReplyLinkResolver(DbSession db, ReplyLinkTokens tokens, ReplyLinkSettings settings, AccessLogWriter log, TimeProvider time)
{
    internal const string FindSql = """
        SELECT id, request_id, organisation_id, email, token_hash, created_at, mail_sent_at, first_opened_at, last_used_at,
               use_count, spent_at, revoked_at
        FROM reply_links WHERE id = @id
        """;

    public const string Invalid =
        "Deze antwoordlink is ongeldig. Gebruik de volledige link uit de e-mail; is die al vervangen door een nieuwere, gebruik dan die.";

    internal sealed record Resolved(ReplyLinkRow Link, RequestRow Request, DateTimeOffset ExpiresAt);

    internal async Task<Resolved> ResolveAsync(string? token, string action, CancellationToken ct)
    {
        var id = tokens.Read(token) ?? throw new ProblemException(404, "Not Found", Invalid);
        var link = await db.QuerySingleOrDefaultAsync<ReplyLinkRow>(FindSql, new { id }, ct);
        if (link is null || !ReplyLinkTokens.Matches(token!, link.TokenHash))
        {
            throw new ProblemException(404, "Not Found", Invalid);
        }
        // From here on the organisation is known: it is the actor of every access-log row of this scope.
        log.ActingOrganisationId = link.OrganisationId;
        var request = await db.QuerySingleOrDefaultAsync<RequestRow>(RequestAccess.FindSql, new { id = link.RequestId }, ct)
                      ?? throw new ProblemException(404, "Not Found", Invalid);
        var expiresAt = request.DueAt.AddDays(settings.DaysAfterDue);
        var refusal = link switch
        {
            { RevokedAt: not null } => "De coach heeft deze antwoordlink ingetrokken. Neem contact op met de coach als u toch wilt reageren.",
            { SpentAt: not null } => "Deze antwoordlink is al gebruikt: het verzoek is beantwoord of afgewezen. Een link werkt maar één keer.",
            _ when request.Status is RequestStatus.Withdrawn => "De coach heeft dit verzoek ingetrokken; een reactie is niet meer nodig.",
            _ when request.Status is RequestStatus.Answered or RequestStatus.Declined => "Dit verzoek is al afgehandeld.",
            _ when time.GetUtcNow() > expiresAt =>
                $"Deze antwoordlink is verlopen op {WorkingDays.InAmsterdam(expiresAt):dd-MM-yyyy}. Neem contact op met de coach.",
            _ => null,
        };
        if (refusal is not null)
        {
            await log.WriteAsync(action, "reply-link", link.Id, request.HouseholdId, ct, AccessLogWriter.Denied);
            throw new ProblemException(410, "Gone", refusal);
        }
        return new Resolved(link, request, expiresAt);
    }
}

/// <summary>What the page behind the link shows: the request as the addressed back office sees it, nothing more.</summary>
public sealed record ReplyLinkView(
    Guid RequestId, string OrganisationName, string ServiceName, string Question, string Urgency, string Status, int Version,
    DateTimeOffset SentAt, DateTimeOffset DueAt, DateTimeOffset ExpiresAt, IReadOnlyList<string> AllowedChanges);

/// <summary>Opening the link (the page's GET): records that it was opened, logs the read, shows the request.</summary>
public static class OpenReplyLink
{
    public sealed record Command(string? Token) : ICommand<ReplyLinkView>;

    internal const string OpenedSql = """
        UPDATE reply_links SET first_opened_at = @now WHERE id = @id AND first_opened_at IS NULL
        """;

    internal sealed class Handler(DbSession db, ReplyLinkResolver resolver, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, ReplyLinkView>
    {
        public async ValueTask<ReplyLinkView> Handle(Command command, CancellationToken ct)
        {
            var (link, request, expiresAt) = await resolver.ResolveAsync(command.Token, "read", ct);
            await db.ExecuteAsync(OpenedSql, new { link.Id, now = time.GetUtcNow() }, ct);
            await log.WriteAsync("read", "request", request.Id, request.HouseholdId, ct);
            return View(request, expiresAt);
        }
    }

    internal static ReplyLinkView View(RequestRow r, DateTimeOffset expiresAt) => new(
        r.Id, r.OrganisationName, r.ServiceName, r.Question, r.Urgency, r.Status, r.Version, WorkingDays.InAmsterdam(r.SentAt),
        WorkingDays.InAmsterdam(r.DueAt), WorkingDays.InAmsterdam(expiresAt),
        UseReplyLink.Changes.Where(c => ChangeRequestStatus.Lifecycle.Changes[c].From.Contains(r.Status)).ToList());
}

/// <summary>
/// <c>POST /api/v1/reply-links/status-changes</c> <c>{token, status, answer?, note?, reasonCode?}</c>, anonymous: the
/// token is the authority, and it travels in the body, never in a URL or a log line. The change goes through the same
/// <see cref="RequestStatusChanger"/> as the back office's (life cycle, history, notification of the coach, webhook
/// event); the version is the request's current one, read in this transaction.
/// <para>Single use: <c>answered</c> and <c>declined</c> spend the link (a conditional UPDATE, so of two simultaneous
/// final answers one wins). <c>acknowledged</c>, <c>suspended</c> (a question: the clock stops, the note is the
/// question) and <c>resumed</c> keep it usable until the final answer, so the organisation can take the request
/// through its life cycle as a back office would.</para>
/// </summary>
public static class UseReplyLink
{
    public sealed record Command(string? Token, string? Status, string? Answer, string? Note, string? ReasonCode) : ICommand<Result>;

    public sealed record Result(Guid RequestId, string Status, int Version, bool LinkUsable);

    /// <summary>What an organisation may do through its link: the back office's steps, except extending the due date.</summary>
    public static readonly IReadOnlyList<string> Changes = ["acknowledged", "suspended", "resumed", "answered", "declined"];

    private static readonly HashSet<string> Final = new(StringComparer.Ordinal) { "answered", "declined" };

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(IValidator<ChangeRequestStatus.Command> lifecycle)
        {
            // The token's value never appears in a message.
            RuleFor(c => c.Token).NotEmpty().WithMessage("De token van de antwoordlink ontbreekt.")
                .MaximumLength(1000).WithMessage("Dit is geen token van een antwoordlink.");
            RuleFor(c => c.Status).NotEmpty().Must(s => s is null || Changes.Contains(s))
                .WithMessage("Status is acknowledged, suspended, resumed, answered of declined.");
            RuleFor(c => c.Note).NotEmpty().When(c => c.Status == "suspended")
                .WithMessage("Schrijf uw vraag aan de coach (note) bij status suspended.");
            // The same rules as the back office's change (answer only with answered, a reason code to decline, ...).
            RuleFor(c => c).Custom((c, context) =>
            {
                if (c.Status is null || !Changes.Contains(c.Status)) return;
                var result = lifecycle.Validate(new ChangeRequestStatus.Command(Guid.Empty, c.Status, c.Note, c.ReasonCode, c.Answer, null, 1));
                foreach (var failure in result.Errors) context.AddFailure(failure);
            });
        }
    }

    internal const string SpendSql = """
        UPDATE reply_links SET spent_at = @now, last_used_at = @now, use_count = use_count + 1,
               first_opened_at = COALESCE(first_opened_at, @now)
        WHERE id = @id AND spent_at IS NULL AND revoked_at IS NULL
        """;

    internal const string UseSql = """
        UPDATE reply_links SET last_used_at = @now, use_count = use_count + 1, first_opened_at = COALESCE(first_opened_at, @now)
        WHERE id = @id AND spent_at IS NULL AND revoked_at IS NULL
        """;

    internal sealed class Handler(DbSession db, ReplyLinkResolver resolver, RequestStatusChanger changer, TimeProvider time)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            var (link, request, _) = await resolver.ResolveAsync(command.Token, "update", ct);
            var change = command.Status!;
            var rule = ChangeRequestStatus.Lifecycle.Changes[change];
            if (!rule.From.Contains(request.Status))
            {
                throw ProblemException.Conflict(
                    $"Een verzoek met status '{request.Status}' kan niet naar '{change}'; dat kan alleen vanuit {string.Join(" of ", rule.From.Select(s => $"'{s}'"))}.");
            }
            var final = Final.Contains(change);
            // The handling may record an involvement (RequestStatusChanger): the household's row lock before the link's.
            await Households.HouseholdAccess.HoldAsync(db, request.HouseholdId, ct);
            if (await db.ExecuteAsync(final ? SpendSql : UseSql, new { link.Id, now = time.GetUtcNow() }, ct) == 0)
            {
                throw new ProblemException(410, "Gone", "Deze antwoordlink is intussen gebruikt of ingetrokken.");
            }
            var applied = await changer.ApplyAsync(request, new ChangeRequestStatus.Command(request.Id, change, command.Note,
                command.ReasonCode, command.Answer, null, request.Version), isBackOffice: true, ct);
            return new Result(request.Id, applied.ToStatus, applied.Version, !final);
        }
    }

    public sealed record Body(string? Token, string? Status, string? Answer, string? Note, string? ReasonCode);

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/reply-links/status-changes", async (Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(body.Token, body.Status, body.Answer, body.Note, body.ReasonCode), ct)))
        .AllowAnonymous()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status410Gone)
        .WithName("changeRequestStatusByReplyLink")
        .WithSummary("Verzoek beantwoorden met een antwoordlink (zonder account; de token staat in de body)")
        .WithTags("Antwoordlinks");
}
