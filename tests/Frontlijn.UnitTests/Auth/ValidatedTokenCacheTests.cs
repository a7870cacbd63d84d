using System.Security.Claims;
using Frontlijn.UnitTests.Configuration;
using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Frontlijn.UnitTests.Auth;

/// <summary>
/// The bearer-token cache (Infrastructure/Auth/ValidatedTokenCache.cs, issue 12): a token's entry ends at its own exp
/// or after Auth:TokenCacheSeconds, whichever is first; failures are never kept; every hit is a copy.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly AuthSettings Demo = new(AuthMode.Demo, "a-demo-signing-key-of-at-least-32-bytes!!", null, null);

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A real demo token (exp = issue time + lifetime) and a valid result for it.</summary>
    private static (string Token, TokenValidationResult Result) Valid(TimeSpan lifetime)
    {
        var token = DemoTokens.Issue(Demo, "anna", new ManualClock(T0), lifetime);
        return (token, new TokenValidationResult
        {
            IsValid = true,
            SecurityToken = new JsonWebToken(token),
            ClaimsIdentity = new ClaimsIdentity([new Claim("sub", "anna")], "test", "sub", ClaimTypes.Role),
            Issuer = AuthSettings.DemoIssuer,
        });
    }

    private static ValidatedTokenCache Cache(ManualClock clock, int seconds = 30) =>
        new(new TokenCacheSettings(TimeSpan.FromSeconds(seconds)), clock);

    [Fact]
    public void AnEntry_EndsAtTheTokensOwnExp_WhenThatComesBeforeTheCacheLifetime()
    {
        var clock = new ManualClock(T0);
        var cache = Cache(clock);
        var (token, result) = Valid(TimeSpan.FromSeconds(10));
        cache.Store(token, result);

        clock.Now = T0.AddSeconds(9);
        Assert.True(cache.TryGet(token, out _));
        clock.Now = T0.AddSeconds(10);
        Assert.False(cache.TryGet(token, out _));
    }

    [Fact]
    public void AnEntry_EndsAfterTheCacheLifetime_ForALongLivedToken()
    {
        var clock = new ManualClock(T0);
        var cache = Cache(clock, seconds: 30);
        var (token, result) = Valid(TimeSpan.FromHours(12));
        cache.Store(token, result);

        clock.Now = T0.AddSeconds(29);
        Assert.True(cache.TryGet(token, out _));
        clock.Now = T0.AddSeconds(30);
        Assert.False(cache.TryGet(token, out _));
        // Gone, not just hidden: the next full validation stores it again.
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ATokenPastItsExp_IsNeverStored_EvenWhileTheValidatorsClockSkewStillAcceptsIt()
    {
        var clock = new ManualClock(T0.AddSeconds(30));
        var cache = Cache(clock);
        var (token, result) = Valid(TimeSpan.FromSeconds(20));
        cache.Store(token, result);
        Assert.False(cache.TryGet(token, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void AFailedValidation_IsNotKept_AndADifferentStringIsADifferentToken()
    {
        var clock = new ManualClock(T0);
        var cache = Cache(clock);
        var (token, result) = Valid(TimeSpan.FromHours(1));
        cache.Store(token, new TokenValidationResult { IsValid = false, SecurityToken = result.SecurityToken });
        Assert.False(cache.TryGet(token, out _));

        cache.Store(token, result);
        Assert.True(cache.TryGet(token, out _));
        Assert.False(cache.TryGet(token + "x", out _));
        Assert.False(cache.TryGet(token[..^1], out _));
    }

    [Fact]
    public void EveryHit_IsANewResultWithItsOwnCopyOfTheIdentity()
    {
        var clock = new ManualClock(T0);
        var cache = Cache(clock);
        var (token, result) = Valid(TimeSpan.FromHours(1));
        cache.Store(token, result);
        // What the caller does with its own identity after storing does not reach the cache.
        result.ClaimsIdentity.AddClaim(new Claim("frontlijn:uid", "caller-added"));

        Assert.True(cache.TryGet(token, out var first));
        first.ClaimsIdentity.AddClaim(new Claim(ClaimTypes.Role, "admin"));
        Assert.True(cache.TryGet(token, out var second));

        Assert.True(first.IsValid && second.IsValid);
        Assert.NotSame(first, second);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal(["sub=anna"], second.ClaimsIdentity.Claims.Select(c => $"{c.Type}={c.Value}"));
        Assert.Equal("anna", second.ClaimsIdentity.Name);
        Assert.Same(result.SecurityToken, second.SecurityToken);
    }

    [Fact]
    public void EndedEntries_AreDroppedByALaterStore_NotKeptUntilTheBound()
    {
        var clock = new ManualClock(T0);
        var cache = Cache(clock, seconds: 30);
        var (first, firstResult) = Valid(TimeSpan.FromHours(1));
        cache.Store(first, firstResult);
        Assert.Equal(1, cache.Count);

        // Never asked for again (a client's previous token); another token is stored after the first one ended.
        clock.Now = T0.AddSeconds(31);
        var later = DemoTokens.Issue(Demo, "bram", clock, TimeSpan.FromHours(1));
        cache.Store(later, firstResult);
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(later, out _));
        Assert.False(cache.TryGet(first, out _));
    }

    [Fact]
    public void Zero_TurnsTheCacheOff()
    {
        var clock = new ManualClock(T0);
        var cache = Cache(clock, seconds: 0);
        var (token, result) = Valid(TimeSpan.FromHours(1));
        cache.Store(token, result);
        Assert.False(cache.TryGet(token, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Settings_DefaultThirtySeconds_ZeroAllowed_OutsideZeroTo300Refused()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), TokenCacheSettings.FromConfiguration(Config.From()).Lifetime);
        Assert.False(TokenCacheSettings.FromConfiguration(Config.From(("Auth:TokenCacheSeconds", "0"))).Enabled);
        Assert.Equal(TimeSpan.FromSeconds(300), TokenCacheSettings.FromConfiguration(Config.From(("Auth:TokenCacheSeconds", "300"))).Lifetime);
        Assert.Throws<InvalidOperationException>(() => TokenCacheSettings.FromConfiguration(Config.From(("Auth:TokenCacheSeconds", "301"))));
        Assert.Throws<InvalidOperationException>(() => TokenCacheSettings.FromConfiguration(Config.From(("Auth:TokenCacheSeconds", "-1"))));
    }
}
