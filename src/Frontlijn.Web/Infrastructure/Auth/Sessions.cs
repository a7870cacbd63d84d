using System.Security.Claims;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Realtime;
using Frontlijn.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// <c>Auth:IdleMinutes</c> (30) and <c>Auth:SessionHours</c> (10): a session ends after that long without a request,
/// and at the latest that long after signing in, however active it was (ASVS V3.3).
/// </summary>
public sealed record SessionSettings(TimeSpan Idle, TimeSpan Absolute)
{
    /// <summary>last_seen_at is written at most this often per session, so a busy page does not write on every request.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Why a session that is otherwise valid has lapsed at <paramref name="now"/>: its absolute limit, or its idle
    /// timeout; null while it runs. One rule for staff and resident sessions alike.
    /// </summary>
    public string? Lapsed(DateTimeOffset now, DateTimeOffset expiresAt, DateTimeOffset lastSeenAt) =>
        now >= expiresAt ? SessionEndReasons.AbsoluteLimit
        : now >= lastSeenAt + Idle ? SessionEndReasons.IdleTimeout
        : null;

    /// <summary>Whether a running session's last_seen_at is due to be written (at most once per <see cref="TouchInterval"/>).</summary>
    public static bool TouchDue(DateTimeOffset now, DateTimeOffset lastSeenAt) => now - lastSeenAt >= TouchInterval;

    public static SessionSettings FromConfiguration(IConfiguration configuration)
    {
        var idle = configuration.GetValue("Auth:IdleMinutes", 30);
        var hours = configuration.GetValue("Auth:SessionHours", 10);
        if (idle < 2)
        {
            // Below two minutes the once-a-minute write of last_seen_at would end active sessions.
            throw new InvalidOperationException($"Auth:IdleMinutes must be at least 2 (was {idle}).");
        }
        if (hours < 1)
        {
            throw new InvalidOperationException($"Auth:SessionHours must be at least 1 (was {hours}).");
        }
        return new SessionSettings(TimeSpan.FromMinutes(idle), TimeSpan.FromHours(hours));
    }
}

/// <summary>Why a session ended (auth_sessions.ended_reason).</summary>
public static class SessionEndReasons
{
    public const string SignedOut = "signed-out";
    public const string Deactivated = "deactivated";
    public const string IdleTimeout = "idle-timeout";
    public const string AbsoluteLimit = "absolute-limit";
    public const string Replaced = "replaced";
}

/// <summary>
/// Server-side sessions in auth_sessions. The cookie carries who someone is and the session id; the row decides
/// whether that cookie still counts, on every node and at once: after sign-out, deactivation, idle or absolute expiry
/// the (still perfectly decryptable) cookie is refused.
/// </summary>
public sealed class SessionStore(DbSession db, TimeProvider time, SessionSettings settings, HubRevocation revocation)
{
    public const string SessionIdClaim = "frontlijn:sid";

    // Only for an active user: a deactivated one gets no session, whatever the sign-in path.
    internal const string InsertSql = """
        INSERT INTO auth_sessions (id, user_id, created_at, last_seen_at, expires_at)
        SELECT @id, @userId, @now, @now, @expiresAt
        FROM users
        WHERE id = @userId AND deactivated_at IS NULL
        """;

    internal const string FindSql = """
        SELECT s.user_id, s.last_seen_at, s.expires_at, s.ended_at, u.deactivated_at
        FROM auth_sessions s
        JOIN users u ON u.id = s.user_id
        WHERE s.id = @id
        """;

    internal const string TouchSql = "UPDATE auth_sessions SET last_seen_at = @now WHERE id = @id AND ended_at IS NULL";

    internal const string EndSql = """
        UPDATE auth_sessions SET ended_at = @now, ended_reason = @reason
        WHERE id = @id AND ended_at IS NULL
        """;

    internal const string EndAllOfUserSql = """
        UPDATE auth_sessions SET ended_at = @now, ended_reason = @reason
        WHERE user_id = @userId AND ended_at IS NULL
        """;

    private sealed record SessionRow
    {
        public Guid UserId { get; init; }
        public DateTimeOffset LastSeenAt { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
        public DateTimeOffset? DeactivatedAt { get; init; }
    }

    /// <summary>Starts a session for the user; its id and absolute end, or null for a deactivated user.</summary>
    public async Task<(Guid Id, DateTimeOffset ExpiresAt)?> StartAsync(Guid userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7();
        var expiresAt = now + settings.Absolute;
        var started = await db.ExecuteAsync(InsertSql, new { id, userId, now, expiresAt }, ct);
        return started == 1 ? (id, expiresAt) : null;
    }

    /// <summary>
    /// Null when the session is still valid (and notes the activity); otherwise the reason it ended, after recording
    /// that end if it was still open.
    /// </summary>
    public async Task<string?> CheckAsync(Guid id, CancellationToken ct)
    {
        var row = await db.QuerySingleOrDefaultAsync<SessionRow>(FindSql, new { id }, ct);
        var now = time.GetUtcNow();
        var refused = row is null ? SessionEndReasons.SignedOut
            : row.EndedAt is not null ? "ended"
            : null;
        if (refused is not null)
        {
            // Ended elsewhere (another node, the admin, SQL): a hub connection opened with it must not outlive it.
            await revocation.SessionEndedAsync(id, CancellationToken.None);
            return refused;
        }
        var reason = row!.DeactivatedAt is not null ? SessionEndReasons.Deactivated
            : settings.Lapsed(now, row.ExpiresAt, row.LastSeenAt);
        if (reason is not null)
        {
            await EndAsync(id, reason, ct);
            return reason;
        }
        if (SessionSettings.TouchDue(now, row.LastSeenAt))
        {
            await db.ExecuteAsync(TouchSql, new { id, now }, ct);
        }
        return null;
    }

    /// <summary>
    /// Ends the session and then closes the hub connections opened with it, on every node, before the caller answers.
    /// Every caller is a cookie event outside any unit of work, so the end has committed when the close goes out.
    /// </summary>
    public async Task EndAsync(Guid id, string reason, CancellationToken ct)
    {
        await db.ExecuteAsync(EndSql, new { id, reason, now = time.GetUtcNow() }, ct);
        await revocation.SessionEndedAsync(id, CancellationToken.None);
    }

    /// <summary>Ends every open session of the user; inside the caller's unit of work when there is one.</summary>
    public Task<int> EndAllAsync(Guid userId, string reason, CancellationToken ct) =>
        db.ExecuteAsync(EndAllOfUserSql, new { userId, reason, now = time.GetUtcNow() }, ct);

    public static Guid? SessionId(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(SessionIdClaim), out var id) ? id : null;
}

/// <summary>Wires the server-side session into the cookie handler (called from the AddCookie block in AuthSetup).</summary>
public static class Sessions
{
    /// <summary>Query parameter of the sign-in page after a refused session cookie: the page says "Uw sessie is verlopen".</summary>
    public const string ExpiredQuery = "sessie";
    public const string ExpiredValue = "verlopen";

    private const string RefusedItem = "frontlijn:session-refused";

    public const string ExpiredDetail = "Uw sessie is verlopen of beëindigd. Meld u opnieuw aan.";

    public static IServiceCollection AddFrontlijnSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(SessionSettings.FromConfiguration(configuration));
        services.AddScoped<SessionStore>();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionSettings, TimeProvider>(Configure);
        return services;
    }

    private static void Configure(CookieAuthenticationOptions options, SessionSettings settings, TimeProvider time)
    {
        // The ticket ends with the session's absolute limit; the idle timeout is the server's (last_seen_at), so the
        // cookie is not re-issued on activity. The handler reads the same clock as the sessions (tests move it).
        options.TimeProvider = time;
        options.ExpireTimeSpan = settings.Absolute;
        options.SlidingExpiration = false;
        var inner = options.Events;
        options.Events = new CookieAuthenticationEvents
        {
            OnSigningIn = SigningInAsync,
            OnValidatePrincipal = ValidateAsync,
            OnSigningOut = SigningOutAsync,
            OnRedirectToLogin = context => RedirectToLoginAsync(context, inner),
            OnRedirectToAccessDenied = inner.OnRedirectToAccessDenied,
        };
    }

    /// <summary>
    /// Every cookie sign-in (demo page, OIDC callback) starts a session row. Who the user is comes from the same
    /// claims transformation that every request uses, so demo and OIDC users are found the same way. Someone who is
    /// not an (active) Frontlijn user gets no session, and so a cookie that the next request refuses.
    /// </summary>
    private static async Task SigningInAsync(CookieSigningInContext context)
    {
        var services = context.HttpContext.RequestServices;
        var principal = context.Principal!;
        var sessions = services.GetRequiredService<SessionStore>();
        // Signing in again in the same browser replaces the session it had: the old one must not live on (nor its hub
        // connections: EndAsync closes them).
        if (SessionStore.SessionId(context.HttpContext.User) is { } previous)
        {
            await sessions.EndAsync(previous, SessionEndReasons.Replaced, context.HttpContext.RequestAborted);
        }
        if (ResidentDirectory.OwnSessionId(context.HttpContext.User) is { } previousResident)
        {
            await services.GetRequiredService<ResidentSessionStore>()
                .EndAsync(previousResident, SessionEndReasons.Replaced, context.HttpContext.RequestAborted);
        }
        // A resident's cookie principal is made by the portal's sign-in (Residents.cs) with its session already started.
        if (ResidentDirectory.OwnSessionId(principal) is not null)
        {
            SetLifetime(context, services);
            return;
        }
        var known = await services.GetRequiredService<IClaimsTransformation>().TransformAsync(principal.Clone());
        if (!Guid.TryParse(known.FindFirstValue(FrontlijnClaims.UserId), out var userId)) return;
        if (await sessions.StartAsync(userId, context.HttpContext.RequestAborted) is not { } started) return;
        var (sessionId, expiresAt) = started;
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionStore.SessionIdClaim, sessionId.ToString()));
        SetLifetime(context, services);
        context.Properties.ExpiresUtc = expiresAt;
    }

    private static void SetLifetime(CookieSigningInContext context, IServiceProvider services)
    {
        context.Properties.IsPersistent = false;
        context.Properties.AllowRefresh = false;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        context.Properties.IssuedUtc = now;
        context.Properties.ExpiresUtc = now + services.GetRequiredService<SessionSettings>().Absolute;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessionId = SessionStore.SessionId(context.Principal);
        var residentSession = ResidentDirectory.OwnSessionId(context.Principal);
        var refused = residentSession is { } rid
            ? await context.HttpContext.RequestServices.GetRequiredService<ResidentSessionStore>()
                .CheckAsync(rid, context.HttpContext.RequestAborted) is not null
            : sessionId is not { } id || await context.HttpContext.RequestServices.GetRequiredService<SessionStore>()
                .CheckAsync(id, context.HttpContext.RequestAborted) is not null;
        if (!refused) return;
        // The session no longer counts (ended elsewhere, idle, past its limit, user deactivated); CheckAsync has closed
        // the hub connections opened with it, on every node.
        context.RejectPrincipal();
        context.HttpContext.Items[RefusedItem] = true;
        // Remove the cookie: it will never count again.
        context.Options.CookieManager.DeleteCookie(context.HttpContext, context.Options.Cookie.Name!,
            context.Options.Cookie.Build(context.HttpContext));
    }

    private static async Task SigningOutAsync(CookieSigningOutContext context)
    {
        if (SessionStore.SessionId(context.HttpContext.User) is { } id)
        {
            await context.HttpContext.RequestServices.GetRequiredService<SessionStore>()
                .EndAsync(id, SessionEndReasons.SignedOut, CancellationToken.None);
        }
        if (Guid.TryParse(context.HttpContext.User.FindFirstValue(FrontlijnClaims.UserId), out var userId))
        {
            // Signing out and in again is how people expect to pick up a change: the next sign-in reads their row.
            await context.HttpContext.RequestServices.GetRequiredService<UserCache>().InvalidateAsync(userId, CancellationToken.None);
        }
        if (ResidentDirectory.OwnSessionId(context.HttpContext.User) is { } resident)
        {
            await context.HttpContext.RequestServices.GetRequiredService<ResidentSessionStore>()
                .EndAsync(resident, SessionEndReasons.SignedOut, CancellationToken.None);
        }
    }

    /// <summary>
    /// A request that came with our session cookie and is not signed in had a session that no longer counts (ended,
    /// expired, undecryptable): people are sent to sign in with "Uw sessie is verlopen", machines get 401 problem+json.
    /// </summary>
    private static async Task RedirectToLoginAsync(
        RedirectContext<CookieAuthenticationOptions> context, CookieAuthenticationEvents inner)
    {
        var http = context.HttpContext;
        var hadSession = http.Items.ContainsKey(RefusedItem) || HostPrefixCookieManager.HasSessionCookie(context.Request);
        if (!hadSession)
        {
            await inner.OnRedirectToLogin(context);
            return;
        }
        if (!http.Items.ContainsKey(RefusedItem))
        {
            context.Options.CookieManager.DeleteCookie(http, context.Options.Cookie.Name!, context.Options.Cookie.Build(http));
        }
        if (WebConventions.IsMachinePath(context.Request.Path))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails { Status = 401, Title = "Unauthorized", Detail = ExpiredDetail },
            });
            return;
        }
        var separator = context.RedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        http.Response.Redirect($"{context.RedirectUri}{separator}{ExpiredQuery}={ExpiredValue}");
    }
}
