using Frontlijn.Web.Infrastructure.Data;
using Hangfire;

namespace Frontlijn.Web.Features.Mail;

/// <summary>
/// The digest (Hangfire, every five minutes): a user with an e-mail address and a notification unread for
/// <c>Mail:DigestMinutes</c> (60) gets one mail saying how many notifications wait, with a link to Frontlijn — never
/// a name, a BSN or case text (not even the notifications' titles).
/// <para>
/// Once per digest, on any number of nodes: <c>users.digest_seq</c> is the inbox cursor up to which a digest went out.
/// A node claims a digest by moving it with a conditional UPDATE (<c>WHERE digest_seq = the value it read</c>); only
/// one node can, and only the winner sends. A notification already covered by a digest never causes another one; a
/// later one does, once it has waited long enough. The claim commits before the mail is sent: a mail that then fails
/// is not retried (at most once — a lost reminder is better than the same reminder twice; the inbox stays the source
/// of truth).
/// </para>
/// </summary>
public sealed class NotificationDigest(DbSession db, MailSender mail, MailSettings settings, TimeProvider time, ILogger<NotificationDigest> logger)
{
    public const string RecurringJobId = "notification-digest";

    // Through the view (migration 0027): a back-office user's organisation rows since they joined count as theirs,
    // unread until they marked them (notification_reads); digest_seq is a cursor of the user's space like any other.
    internal const string DueSql = """
        SELECT u.id, u.email, u.digest_seq,
               (SELECT MAX(n.seq) FROM notification_inbox n WHERE n.recipient_id = u.id AND n.read_at IS NULL) AS max_seq,
               (SELECT COUNT(*) FROM notification_inbox n WHERE n.recipient_id = u.id AND n.read_at IS NULL) AS unread
        FROM users u
        WHERE u.email IS NOT NULL AND u.deactivated_at IS NULL
          AND EXISTS (SELECT 1 FROM notification_inbox n
                      WHERE n.recipient_id = u.id AND n.read_at IS NULL AND n.seq > u.digest_seq AND n.created_at <= @cutoff)
        ORDER BY u.id
        """;

    internal const string ClaimSql = "UPDATE users SET digest_seq = @maxSeq WHERE id = @id AND digest_seq = @digestSeq";

    internal sealed record Due
    {
        public Guid Id { get; init; }
        public string Email { get; init; } = "";
        public long DigestSeq { get; init; }
        public long MaxSeq { get; init; }
        public long Unread { get; init; }
    }

    /// <returns>How many digests were sent by this run.</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (!mail.Enabled) return 0;
        var cutoff = time.GetUtcNow().AddMinutes(-settings.DigestMinutes);
        var sent = 0;
        foreach (var due in (await db.QueryAsync<Due>(DueSql, new { cutoff }, ct)).ToList())
        {
            if (await db.ExecuteAsync(ClaimSql, new { due.Id, due.MaxSeq, due.DigestSeq }, ct) == 0) continue; // another node
            try
            {
                await mail.SendAsync(Compose(due), ct);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The notification digest for user {UserId} could not be sent", due.Id);
            }
        }
        return sent;
    }

    internal OutgoingMail Compose(Due due)
    {
        var count = due.Unread == 1 ? "1 ongelezen melding" : $"{due.Unread} ongelezen meldingen";
        return new OutgoingMail(due.Email, $"Frontlijn: {count}", $"""
            Goedendag,

            Er {(due.Unread == 1 ? "wacht" : "wachten")} in Frontlijn {count} op u.
            Bekijk ze na het aanmelden: {settings.Link("")}

            Om privacyredenen staat in deze e-mail niet waarover het gaat.

            Met vriendelijke groet,
            Frontlijn
            """);
    }

    public static void Schedule(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<NotificationDigest>(RecurringJobId, job => job.RunAsync(CancellationToken.None), "*/5 * * * *");
}
