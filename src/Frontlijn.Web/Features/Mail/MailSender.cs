using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Frontlijn.Web.Features.Mail;

/// <summary>
/// <c>Mail:Host</c>, <c>Mail:Port</c> (default 25 for none, 587 for starttls, 465 for tls), <c>Mail:Security</c>
/// (<c>none</c> | <c>starttls</c> | <c>tls</c>, default starttls), <c>Mail:From</c>, <c>Mail:Username</c>,
/// <c>Mail:Password</c>, <c>Mail:DigestMinutes</c> (60). No mail at all while <c>Mail:Host</c> is unset.
/// Links in mails start at <c>Api:PublicBaseUrl</c>, the address people reach the service on.
/// </summary>
/// <remarks>
/// <see cref="Security"/> is our own enum, not MailKit's <c>SecureSocketOptions</c>: the settings are registered at
/// start-up, and a field of a MailKit type would load MailKit into every process, also those that never send a mail
/// (idle memory, docs/PERFORMANCE.md "Performance — 10"). <see cref="MailSender"/> maps it when it connects.
/// </remarks>
public sealed record MailSettings(
    string? Host, int Port, MailSecurity Security, string From, string? Username, string? Password, int DigestMinutes,
    Uri PublicBaseUrl)
{
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public static MailSettings FromConfiguration(IConfiguration configuration)
    {
        var security = (configuration["Mail:Security"] ?? "starttls").Trim().ToLowerInvariant() switch
        {
            "none" => MailSecurity.None,
            "starttls" => MailSecurity.StartTls,
            "tls" => MailSecurity.Tls,
            var other => throw new InvalidOperationException($"Mail:Security is none, starttls or tls, not '{other}'."),
        };
        var defaultPort = security switch
        {
            MailSecurity.None => 25,
            MailSecurity.Tls => 465,
            _ => 587,
        };
        var digestMinutes = configuration.GetValue("Mail:DigestMinutes", 60);
        if (digestMinutes < 1) throw new InvalidOperationException("Mail:DigestMinutes is at least 1.");
        var baseUrl = (configuration["Api:PublicBaseUrl"] ?? "https://localhost:5001").TrimEnd('/') + "/";
        return new MailSettings(
            configuration["Mail:Host"], configuration.GetValue("Mail:Port", defaultPort), security,
            configuration["Mail:From"] ?? "Frontlijn <noreply@frontlijn.invalid>",
            configuration["Mail:Username"], configuration["Mail:Password"], digestMinutes, new Uri(baseUrl));
    }

    public Uri Link(string relative) => new(PublicBaseUrl, relative.TrimStart('/'));
}

/// <summary><c>Mail:Security</c>: no encryption, STARTTLS after connecting, or TLS from the first byte.</summary>
public enum MailSecurity { None, StartTls, Tls }

/// <summary>One plain-text mail; what goes in it is the caller's business (and never a BSN or a name of a member).</summary>
public sealed record OutgoingMail(string To, string Subject, string Body);

/// <summary>
/// Sends through SMTP with MailKit (System.Net.Mail.SmtpClient is obsolete for new work). One connection per mail:
/// mails are few (a digest per hour per user, one per request), and a connection never outlives a failure.
/// </summary>
public sealed class MailSender(MailSettings settings, ILogger<MailSender> logger)
{
    public bool Enabled => settings.Enabled;

    /// <summary>False when mail is off (<c>Mail:Host</c> unset): nothing is sent, and the caller keeps it pending.</summary>
    public async Task<bool> SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        if (!settings.Enabled) return false;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Body };
        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Host!, settings.Port, SocketOptionsOf(settings.Security), ct);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", ct);
        }
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
        // The subject and recipient only: a body may carry a reply link, which is a credential.
        logger.LogInformation("Mail sent: {Subject}", mail.Subject);
        return true;
    }

    public static SecureSocketOptions SocketOptionsOf(MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
