using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Frontlijn.Web.Features.ReplyLinks;

/// <summary><c>ReplyLinks:DaysAfterDue</c> (5): a link expires that many days after the request's current due date.</summary>
public sealed record ReplyLinkSettings(int DaysAfterDue)
{
    public static ReplyLinkSettings FromConfiguration(IConfiguration configuration)
    {
        var days = configuration.GetValue("ReplyLinks:DaysAfterDue", 5);
        if (days is < 0 or > 365) throw new InvalidOperationException("ReplyLinks:DaysAfterDue is between 0 and 365.");
        return new ReplyLinkSettings(days);
    }
}

/// <summary>
/// The token in a reply link: the link's id and 32 random bytes, protected (encrypted and signed) with ASP.NET Core
/// Data Protection, whose key ring lives in the database and is shared by every node. A changed character fails the
/// signature before the database is asked. The database keeps only the SHA-256 of the token, so a database dump
/// holds no usable link, and issuing a new token for the same link (a resent mail) makes the old one worthless.
/// </summary>
public sealed class ReplyLinkTokens(IDataProtectionProvider dataProtection)
{
    private const int IdLength = 16;
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Frontlijn.ReplyLinks.v1");

    public string Issue(Guid linkId)
    {
        var payload = new byte[IdLength + 32];
        linkId.TryWriteBytes(payload.AsSpan(0, IdLength));
        RandomNumberGenerator.Fill(payload.AsSpan(IdLength));
        return WebEncoders.Base64UrlEncode(_protector.Protect(payload));
    }

    /// <summary>The link id when the token is one we issued (signature intact), else null.</summary>
    public Guid? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1000) return null;
        try
        {
            var payload = _protector.Unprotect(WebEncoders.Base64UrlDecode(token));
            return payload.Length == IdLength + 32 ? new Guid(payload.AsSpan(0, IdLength)) : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    public static bool Matches(string token, string? storedHash) =>
        storedHash is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Hash(token)), System.Text.Encoding.ASCII.GetBytes(storedHash));
}
