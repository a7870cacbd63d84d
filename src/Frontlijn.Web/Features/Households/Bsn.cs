using System.Security.Cryptography;
using System.Text;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// The burgerservicenummer. Validated with the elfproef; stored only as a keyed hash (to match signals to households)
/// plus its last four digits (to show the mask <c>*****1234</c>). The number itself is never stored, returned, logged,
/// put in a URL, a notification or an event.
/// </summary>
public static class Bsn
{
    /// <summary>Nine digits, not all zeros, and 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11.</summary>
    public static bool IsValid(string? bsn)
    {
        if (bsn is not { Length: 9 } || !bsn.All(char.IsAsciiDigit) || bsn.All(c => c == '0')) return false;
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (bsn[i] - '0') * (9 - i);
        }
        sum -= bsn[8] - '0';
        return sum % 11 == 0;
    }

    public static string Last4(string bsn) => bsn[^4..];

    public static string? Mask(string? last4) => last4 is null ? null : "*****" + last4;
}

/// <summary>
/// Hashes BSNs with HMAC-SHA256 under <c>Security:BsnHashKey</c>. Keyed, because nine digits are easily enumerated:
/// a plain hash would be reversible by anyone with the table. The key is required everywhere except a developer's own
/// machine: the Development environment on the embedded SQLite database.
/// </summary>
public sealed class BsnHasher
{
    // Only for Development on SQLite (a developer's machine), where every BSN is a test number. A shared server database
    // (PostgreSQL, SQL Server) or any other environment may hold real numbers: a key everyone can read from the
    // repository would make their hashes reversible by enumerating the 10^9 numbers.
    private const string DevelopmentKey = "frontlijn-development-bsn-hash-key-not-for-production";

    private readonly byte[] _key;

    public BsnHasher(string key)
    {
        if (Encoding.UTF8.GetByteCount(key) < 32)
        {
            throw new InvalidOperationException("Security:BsnHashKey must be at least 32 bytes.");
        }
        _key = Encoding.UTF8.GetBytes(key);
    }

    public static BsnHasher FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var key = configuration["Security:BsnHashKey"];
        if (string.IsNullOrWhiteSpace(key))
        {
            // Database:Provider as DatabaseSettings reads it (sqlite when unset), without its other checks.
            var provider = configuration["Database:Provider"]?.Trim();
            var onSqlite = string.IsNullOrEmpty(provider) || provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase);
            if (!environment.IsDevelopment() || !onSqlite)
            {
                throw new InvalidOperationException(
                    "Security:BsnHashKey must be set (at least 32 bytes): it keys the BSN hashes. The built-in development " +
                    $"key is only used in the Development environment on SQLite (this is {environment.EnvironmentName} on " +
                    $"{configuration["Database:Provider"] ?? "sqlite"}).");
            }
            key = DevelopmentKey;
        }
        return new BsnHasher(key);
    }

    public string Hash(string bsn) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(bsn)));
}
