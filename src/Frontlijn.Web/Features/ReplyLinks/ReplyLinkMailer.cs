using System.Globalization;
using Frontlijn.Web.Features.Mail;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Mediator;

namespace Frontlijn.Web.Features.ReplyLinks;

/// <summary>
/// When a request goes to an organisation with <c>replyByLink</c> and a <c>functionalEmail</c>, its reply link is
/// recorded in the same transaction as the request (so it cannot be lost) and mailed after the commit.
/// </summary>
public sealed class ReplyLinkOffer(DbSession db, AfterCommit afterCommit, IServiceScopeFactory scopes, TimeProvider time)
{
    internal const string OrganisationSql = """
        SELECT reply_by_link, functional_email FROM organisations WHERE id = @organisationId
        """;

    internal const string InsertSql = """
        INSERT INTO reply_links (id, request_id, organisation_id, email, created_at, use_count)
        VALUES (@id, @requestId, @organisationId, @email, @now, 0)
        """;

    internal sealed record OrganisationRow
    {
        public int ReplyByLink { get; init; }
        public string? FunctionalEmail { get; init; }
    }

    public async Task OfferAsync(Guid requestId, Guid organisationId, CancellationToken ct) =>
        await OfferAsync(requestId, organisationId,
            await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql, new { organisationId }, ct), ct);

    /// <summary>Whether <see cref="OfferAsync(Guid, Guid, OrganisationRow?, CancellationToken)"/> writes an offer for this organisation.</summary>
    internal static bool Offers(OrganisationRow? organisation) => organisation is { ReplyByLink: 1, FunctionalEmail: { Length: > 0 } };

    /// <summary>The same, for a caller that has already read the organisation's two columns in this unit of work.</summary>
    internal async Task OfferAsync(Guid requestId, Guid organisationId, OrganisationRow? organisation, CancellationToken ct)
    {
        if (!Offers(organisation) || organisation!.FunctionalEmail is not { } email) return;
        var id = Guid.CreateVersion7(time.GetUtcNow());
        await db.ExecuteAsync(InsertSql, new { id, requestId, organisationId, email, now = time.GetUtcNow() }, ct);
        afterCommit.Enqueue(async token =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ReplyLinkMailer>().SendPendingAsync(id, token);
        });
    }
}

/// <summary>
/// Mails pending reply links: right after the request's commit, and again from a recurring job (every minute) for any
/// link whose mail did not go out (SMTP down, <c>Mail:Host</c> unset at the time, a node that died). Each send first
/// claims the link with a conditional UPDATE that also stores the hash of a freshly issued token, so of two nodes only
/// one sends, and a retry after a failure sends a new token (the old one, never delivered, no longer matches).
/// </summary>
public sealed class ReplyLinkMailer(
    DbSession db, ReplyLinkTokens tokens, MailSender mail, MailSettings mailSettings, ReplyLinkSettings settings,
    TimeProvider time, ILogger<ReplyLinkMailer> logger)
{
    public const string RecurringJobId = "reply-link-mails";

    /// <summary>A claim older than this is taken to have failed (the node died mid-send) and is retried.</summary>
    internal static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(10);

    private const string PendingSql = """
        SELECT l.id, l.email, r.due_at, s.name AS service_name, o.name AS organisation_name
        FROM reply_links l
        JOIN requests r ON r.id = l.request_id
        JOIN organisations o ON o.id = l.organisation_id
        JOIN organisation_services s ON s.organisation_id = r.organisation_id AND s.code = r.service_code
        WHERE l.mail_sent_at IS NULL AND l.revoked_at IS NULL AND l.spent_at IS NULL
          AND r.status IN ('sent', 'acknowledged', 'suspended')
          AND (l.claimed_at IS NULL OR l.claimed_at < @stale)
        """;

    internal const string PendingAllSql = PendingSql + "\nORDER BY l.created_at, l.id";
    internal const string PendingOneSql = PendingSql + "\n  AND l.id = @id";

    internal const string ClaimSql = """
        UPDATE reply_links SET token_hash = @tokenHash, claimed_at = @now
        WHERE id = @id AND mail_sent_at IS NULL AND revoked_at IS NULL AND spent_at IS NULL
          AND (claimed_at IS NULL OR claimed_at < @stale)
        """;

    internal const string SentSql = "UPDATE reply_links SET mail_sent_at = @now WHERE id = @id AND token_hash = @tokenHash";

    internal sealed record Pending
    {
        public Guid Id { get; init; }
        public string Email { get; init; } = "";
        public DateTimeOffset DueAt { get; init; }
        public string ServiceName { get; init; } = "";
        public string OrganisationName { get; init; } = "";
    }

    public Task RunAsync(CancellationToken ct) => SendPendingAsync(null, ct);

    /// <returns>How many mails went out.</returns>
    public async Task<int> SendPendingAsync(Guid? onlyId, CancellationToken ct)
    {
        if (!mail.Enabled) return 0; // stays pending until Mail:Host is configured; the coach sees "nog niet verstuurd"
        var now = time.GetUtcNow();
        var stale = now - ClaimTimeout;
        var pending = onlyId is { } id
            ? await db.QueryAsync<Pending>(PendingOneSql, new { id, stale }, ct)
            : await db.QueryAsync<Pending>(PendingAllSql, new { stale }, ct);
        var sent = 0;
        foreach (var link in pending.ToList())
        {
            var token = tokens.Issue(link.Id);
            var tokenHash = ReplyLinkTokens.Hash(token);
            if (await db.ExecuteAsync(ClaimSql, new { link.Id, tokenHash, now, stale }, ct) == 0) continue; // another node has it
            try
            {
                await mail.SendAsync(Compose(link, token), ct);
                await db.ExecuteAsync(SentSql, new { link.Id, tokenHash, now = time.GetUtcNow() }, ct);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Never the token or the address in a log line; the claim times out and the job sends a new token.
                logger.LogWarning(ex, "The reply link mail {LinkId} could not be sent; it is retried", link.Id);
            }
        }
        return sent;
    }

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>
    /// No household data in the mail (no name, address, BSN or question): an e-mail travels and is stored outside our
    /// control. The question is shown on the page behind the link.
    /// </summary>
    internal OutgoingMail Compose(Pending link, string token)
    {
        var due = WorkingDays.InAmsterdam(link.DueAt);
        var expires = due.AddDays(settings.DaysAfterDue);
        var url = mailSettings.Link($"antwoord/{token}");
        return new OutgoingMail(link.Email, $"Verzoek via Frontlijn: {link.ServiceName}", $"""
            Goedendag,

            {link.OrganisationName} heeft via Frontlijn een verzoek ontvangen voor de dienst '{link.ServiceName}'.
            Wij vragen u te reageren vóór {due.ToString("d MMMM yyyy", Dutch)}.

            Open het verzoek met deze persoonlijke link; u hebt geen account nodig:
            {url}

            Met de link neemt u het verzoek in behandeling, stelt u een vraag, geeft u antwoord of wijst u het af.
            Na uw antwoord of afwijzing werkt de link niet meer. Hij verloopt op {expires.ToString("d MMMM yyyy", Dutch)}.
            Stuur deze e-mail niet door: wie de link heeft, kan namens uw organisatie antwoorden.

            In deze e-mail staan bewust geen gegevens van het huishouden; die ziet u na het openen van de link.

            Met vriendelijke groet,
            Frontlijn
            """);
    }
}
