using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// <c>Auth:TokenCacheSeconds</c> (default 30; 0 turns it off; at most 300): how long this node may accept a bearer
/// token it has already validated in full without parsing it and checking its signature again.
/// </summary>
public sealed record TokenCacheSettings(TimeSpan Lifetime)
{
    public bool Enabled => Lifetime > TimeSpan.Zero;

    public static TokenCacheSettings FromConfiguration(IConfiguration configuration)
    {
        var seconds = configuration.GetValue("Auth:TokenCacheSeconds", 30);
        if (seconds is < 0 or > 300)
        {
            // Longer would keep a token signed with a key the provider has since withdrawn acceptable for too long.
            throw new InvalidOperationException($"Auth:TokenCacheSeconds must be between 0 and 300 (was {seconds}).");
        }
        return new TokenCacheSettings(TimeSpan.FromSeconds(seconds));
    }
}

/// <summary>
/// Bearer tokens that passed full validation (signature, issuer, audience, lifetime, type), per exact token string.
/// Issue 12's profile of a caseload page: parsing the JWT, verifying its HMAC/RSA signature and building its claims were
/// the largest piece of the service's own CPU per request after the database driver and Kestrel, and an API client or
/// SignalR connection sends the same token for its whole lifetime. Rules:
/// <list type="bullet">
/// <item>Only valid results are kept: a token that fails is validated in full again every time (and cannot fill the
/// cache). A token that differs in a single character is a different key.</item>
/// <item>An entry ends at the token's own <c>exp</c> (without the validator's clock skew: stricter, never looser) or
/// after <see cref="TokenCacheSettings.Lifetime"/>, whichever comes first; the clock is the system clock, the one the
/// validator itself uses.</item>
/// <item>Nothing that decides what a caller may do is cached here: deactivation (JwtBearerEvents.OnTokenValidated),
/// multi-factor evidence, role, team and organisation (UserClaimsTransformation) are checked on every request as
/// before, on the result this returns.</item>
/// <item>Every hit returns a new result with a copy of the identity, so no request sees another's claims objects.</item>
/// </list>
/// The trade-off (docs/SECURITY.md): a provider's signing key that is withdrawn still validates tokens this node has
/// already seen for at most <see cref="TokenCacheSettings.Lifetime"/>.
/// </summary>
public sealed class ValidatedTokenCache(TokenCacheSettings settings, TimeProvider systemClock)
{
    // Far more live tokens than an installation's users and connections; a bound against a flood of valid tokens.
    internal const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    // Ended entries are dropped by a sweep at most once per lifetime (on a store), so that tokens nobody sends again
    // (a client's previous token after a refresh) do not stay in memory until the bound is reached.
    private long _nextSweepTicks;

    private sealed record Entry(TokenValidationResult Result, DateTimeOffset ExpiresAt);

    public int Count => _entries.Count;

    public bool TryGet(string token, out TokenValidationResult result)
    {
        result = null!;
        if (!settings.Enabled || !_entries.TryGetValue(token, out var entry)) return false;
        if (systemClock.GetUtcNow() >= entry.ExpiresAt)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(token, entry));
            return false;
        }
        var cached = entry.Result;
        result = new TokenValidationResult
        {
            IsValid = true,
            ClaimsIdentity = cached.ClaimsIdentity.Clone(),
            SecurityToken = cached.SecurityToken,
            Issuer = cached.Issuer,
            TokenType = cached.TokenType,
        };
        return true;
    }

    public void Store(string token, TokenValidationResult result)
    {
        if (!settings.Enabled || !result.IsValid || result.SecurityToken is not { } securityToken) return;
        var now = systemClock.GetUtcNow();
        var expiresAt = now + settings.Lifetime;
        // ValidTo is DateTime.MinValue for a token without exp: then only the cache's own lifetime bounds it.
        if (securityToken.ValidTo > DateTime.MinValue)
        {
            var validTo = new DateTimeOffset(DateTime.SpecifyKind(securityToken.ValidTo, DateTimeKind.Utc));
            if (validTo < expiresAt) expiresAt = validTo;
        }
        if (expiresAt <= now) return;
        var sweepDue = now.UtcTicks >= Interlocked.Read(ref _nextSweepTicks);
        if (sweepDue || _entries.Count >= MaxEntries)
        {
            Interlocked.Exchange(ref _nextSweepTicks, (now + settings.Lifetime).UtcTicks);
            foreach (var (key, entry) in _entries)
            {
                if (entry.ExpiresAt <= now) _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
            if (_entries.Count >= MaxEntries) return;
        }
        // The identity kept is a copy too: the caller's one goes on into its own request.
        _entries[token] = new Entry(new TokenValidationResult
        {
            IsValid = true,
            ClaimsIdentity = result.ClaimsIdentity.Clone(),
            SecurityToken = securityToken,
            Issuer = result.Issuer,
            TokenType = result.TokenType,
        }, expiresAt);
    }

    public void Clear() => _entries.Clear();
}

/// <summary>The staff bearer scheme's token handler: <see cref="JsonWebTokenHandler"/> behind <see cref="ValidatedTokenCache"/>.</summary>
internal sealed class CachingJsonWebTokenHandler(ValidatedTokenCache cache) : JsonWebTokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (cache.TryGet(token, out var cached)) return cached;
        var result = await base.ValidateTokenAsync(token, validationParameters);
        cache.Store(token, result);
        return result;
    }
}
