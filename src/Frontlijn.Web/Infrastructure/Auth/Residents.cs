using System.Security.Claims;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Realtime;
using Frontlijn.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// The citizen login (SPEC "Identity, sessions and roles", role <c>resident</c>). Demo mode: HS256 tokens like the staff
/// demo tokens, issuer <see cref="DemoIssuer"/>, <c>sub</c> = the resident's BSN. Production: a second OpenID provider
/// for residents (a DigiD broker) whose subject is the BSN: <c>Residents:Authority</c>, <c>Residents:Audience</c> (API),
/// <c>Residents:ClientId</c>/<c>Residents:ClientSecret</c> (the portal's sign-in), <c>Residents:SubjectClaim</c>
/// (<c>sub</c>), <c>Residents:Acr</c> (assurance levels that count, e.g. DigiD Midden; empty = any).
/// <c>Residents:ShowNames</c> (false): whether the access log a resident sees names the professionals.
/// <c>Residents:ContactPhone</c>: the number the portal shows when the coach has no work phone recorded.
/// </summary>
public sealed record ResidentSettings(
    string? Authority, string? Audience, string? ClientId, string? ClientSecret, string SubjectClaim,
    IReadOnlyList<string> Acr, bool ShowNames, string? ContactPhone)
{
    public const string DemoIssuer = "frontlijn-demo-residents";

    /// <summary>A resident is a household member aged 16 or older (SPEC; Jeugdwet/WGBO: from 16 for themselves).</summary>
    public const int MinimumAge = 16;

    public static ResidentSettings FromConfiguration(IConfiguration configuration, AuthSettings auth)
    {
        var settings = new ResidentSettings(
            Blank(configuration["Residents:Authority"]), Blank(configuration["Residents:Audience"]),
            Blank(configuration["Residents:ClientId"]), Blank(configuration["Residents:ClientSecret"]),
            Blank(configuration["Residents:SubjectClaim"]) ?? "sub",
            (configuration["Residents:Acr"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            configuration.GetValue("Residents:ShowNames", false),
            Blank(configuration["Residents:ContactPhone"]));
        if (auth.Mode == AuthMode.Oidc && settings.Authority is { } authority)
        {
            if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) ||
                (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                throw new InvalidOperationException(
                    "Residents:Authority must be an https URL (plain http only for a provider on loopback, as in tests).");
            }
            if (settings.Audience is null)
            {
                throw new InvalidOperationException("Residents:Authority needs Residents:Audience (the API's audience for residents' tokens).");
            }
            if (string.Equals(settings.Authority.TrimEnd('/'), auth.Authority?.TrimEnd('/'), StringComparison.Ordinal))
            {
                // One provider for both would let any staff account with a nine-digit subject pass as a resident.
                throw new InvalidOperationException("Residents:Authority must differ from Auth:Authority.");
            }
        }
        return settings;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Whether residents can use the API and the portal at all in this mode.</summary>
    public bool Enabled(AuthSettings auth) => auth.Mode == AuthMode.Demo || Authority is not null;

    public bool HasOidcSignIn(AuthSettings auth) => auth.Mode == AuthMode.Oidc && Authority is not null && ClientId is not null;

    public bool AuthorityIsLoopback => Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && uri.IsLoopback;

    /// <summary>The issuer residents' tokens carry: the demo issuer, or the configured provider (compared without a trailing slash).</summary>
    public bool IsResidentIssuer(string? issuer, AuthSettings auth) =>
        issuer is { Length: > 0 } &&
        (auth.Mode == AuthMode.Demo
            ? issuer == DemoIssuer
            : Authority is { } authority && string.Equals(issuer.TrimEnd('/'), authority.TrimEnd('/'), StringComparison.Ordinal));
}

/// <summary>Claims of a signed-in resident, added by <see cref="UserClaimsTransformation"/> from our own tables only.</summary>
public static class ResidentClaims
{
    public const string MemberId = "frontlijn:member";
    public const string HouseholdId = "frontlijn:household";

    /// <summary>The resident's server-side session (resident_sessions) in their cookie; never their BSN.</summary>
    public const string SessionId = "frontlijn:rsid";
}

/// <summary>
/// Finds the household member behind a resident's token (BSN → keyed hash → member) or cookie (session → member). Only
/// a member aged 16 or older on today's date (Europe/Amsterdam) who has not left the household counts. A BSN that
/// matches more than one such member (two current households) is refused rather than guessed.
/// </summary>
public sealed class ResidentDirectory(DbSession db, BsnHasher hasher, TimeProvider time, AuthSettings auth, ResidentSettings settings)
{
    public sealed record ResidentRow
    {
        public Guid MemberId { get; init; }
        public Guid HouseholdId { get; init; }
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public DateOnly? DateOfBirth { get; init; }
        public DateOnly? DepartedOn { get; init; }

        public string DisplayName => string.IsNullOrWhiteSpace(GivenName) ? FamilyName : $"{GivenName} {FamilyName}";
    }

    private const string Columns = "m.id AS member_id, m.household_id, m.given_name, m.family_name, m.date_of_birth, m.departed_on";

    internal const string ByBsnHashSql = "SELECT " + Columns + " FROM household_members m WHERE m.bsn_hash = @hash";

    internal const string ByMemberSql = "SELECT " + Columns + " FROM household_members m WHERE m.id = @memberId";

    internal const string BySessionSql = "SELECT " + Columns + """

        FROM resident_sessions s
        JOIN household_members m ON m.id = s.member_id
        WHERE s.id = @sessionId AND s.ended_at IS NULL
        """;

    // The demo sign-in page: every member who could sign in with a citizen login (has a BSN), youngest last.
    internal const string DemoCandidatesSql = "SELECT " + Columns + """

        FROM household_members m
        WHERE m.bsn_hash IS NOT NULL AND m.departed_on IS NULL
        ORDER BY m.family_name, m.given_name
        """;

    private readonly Dictionary<ClaimsPrincipal, ResidentRow?> _resolved = new(ReferenceEqualityComparer.Instance);

    public DateOnly Today => WorkingDays.LocalDate(time.GetUtcNow());

    public bool IsEligible(ResidentRow row) =>
        row.DateOfBirth is { } born && born.AddYears(ResidentSettings.MinimumAge) <= Today &&
        (row.DepartedOn is not { } left || left > Today);

    /// <summary>Whether this principal came from a residents' token or a resident's cookie (whether or not it is eligible).</summary>
    public bool IsResidentPrincipal(ClaimsPrincipal principal) =>
        OwnSessionId(principal) is not null ||
        principal.FindFirst(settings.SubjectClaim) is { } subject && settings.IsResidentIssuer(IssuerOf(subject, principal), auth);

    /// <summary>The eligible member this principal is, or null.</summary>
    public async Task<ResidentRow?> ResolveAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        if (_resolved.TryGetValue(principal, out var known)) return known;
        ResidentRow? row = null;
        if (OwnSessionId(principal) is { } sessionId)
        {
            row = await db.QuerySingleOrDefaultAsync<ResidentRow>(BySessionSql, new { sessionId }, ct);
        }
        else if (principal.FindFirst(settings.SubjectClaim) is { } subject && settings.IsResidentIssuer(IssuerOf(subject, principal), auth))
        {
            row = await ByBsnAsync(subject.Value, ct);
        }
        row = row is not null && IsEligible(row) ? row : null;
        _resolved[principal] = row;
        return row;
    }

    public async Task<ResidentRow?> ByBsnAsync(string bsn, CancellationToken ct)
    {
        if (!Bsn.IsValid(bsn)) return null;
        var rows = (await db.QueryAsync<ResidentRow>(ByBsnHashSql, new { hash = hasher.Hash(bsn) }, ct)).Where(IsEligible).ToList();
        return rows.Count == 1 ? rows[0] : null;
    }

    public async Task<ResidentRow?> ByMemberAsync(Guid memberId, CancellationToken ct)
    {
        var row = await db.QuerySingleOrDefaultAsync<ResidentRow>(ByMemberSql, new { memberId }, ct);
        return row is not null && IsEligible(row) ? row : null;
    }

    public async Task<IReadOnlyList<ResidentRow>> DemoCandidatesAsync(CancellationToken ct) =>
        [.. (await db.QueryAsync<ResidentRow>(DemoCandidatesSql, ct: ct)).Where(IsEligible).Take(200)];

    /// <summary>The session id our own resident sign-in put into the cookie (issuer LOCAL AUTHORITY; a token cannot).</summary>
    public static Guid? OwnSessionId(ClaimsPrincipal? principal) =>
        principal?.FindFirst(c => c.Type == ResidentClaims.SessionId && c.Issuer == ClaimsIdentity.DefaultIssuer) is { } claim &&
        Guid.TryParse(claim.Value, out var id) ? id : null;

    private static string? IssuerOf(Claim subject, ClaimsPrincipal principal) =>
        subject.Issuer is { Length: > 0 } stamped && stamped != ClaimsIdentity.DefaultIssuer ? stamped : principal.FindFirstValue("iss");
}

/// <summary>
/// Residents' server-side sessions (resident_sessions), with the same idle and absolute limits as staff sessions
/// (<see cref="SessionSettings"/>). A member who left the household, or who is gone, has no session any more.
/// </summary>
public sealed class ResidentSessionStore(
    DbSession db, TimeProvider time, SessionSettings settings, HubRevocation revocation)
{
    internal const string InsertSql = """
        INSERT INTO resident_sessions (id, member_id, created_at, last_seen_at, expires_at)
        VALUES (@id, @memberId, @now, @now, @expiresAt)
        """;

    internal const string FindSql = """
        SELECT s.last_seen_at, s.expires_at, s.ended_at, m.departed_on
        FROM resident_sessions s
        JOIN household_members m ON m.id = s.member_id
        WHERE s.id = @id
        """;

    internal const string TouchSql = "UPDATE resident_sessions SET last_seen_at = @now WHERE id = @id AND ended_at IS NULL";

    internal const string EndSql = """
        UPDATE resident_sessions SET ended_at = @now, ended_reason = @reason
        WHERE id = @id AND ended_at IS NULL
        """;

    private sealed record Row
    {
        public DateTimeOffset LastSeenAt { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
        public DateOnly? DepartedOn { get; init; }
    }

    public async Task<(Guid Id, DateTimeOffset ExpiresAt)> StartAsync(Guid memberId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7();
        var expiresAt = now + settings.Absolute;
        await db.ExecuteAsync(InsertSql, new { id, memberId, now, expiresAt }, ct);
        return (id, expiresAt);
    }

    /// <summary>Null while the session counts (and notes the activity); otherwise why it ended.</summary>
    public async Task<string?> CheckAsync(Guid id, CancellationToken ct)
    {
        var row = await db.QuerySingleOrDefaultAsync<Row>(FindSql, new { id }, ct);
        var refused = row is null ? SessionEndReasons.SignedOut
            : row.EndedAt is not null ? "ended"
            : null;
        if (refused is not null)
        {
            // Ended elsewhere: a hub connection opened with it must not outlive it (SessionStore.CheckAsync alike).
            await revocation.SessionEndedAsync(id, CancellationToken.None);
            return refused;
        }
        var now = time.GetUtcNow();
        var reason = row!.DepartedOn is { } left && left <= WorkingDays.LocalDate(now) ? "departed"
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

    /// <summary>Ends the session, then closes its hub connections on every node (see SessionStore.EndAsync).</summary>
    public async Task EndAsync(Guid id, string reason, CancellationToken ct)
    {
        await db.ExecuteAsync(EndSql, new { id, reason, now = time.GetUtcNow() }, ct);
        await revocation.SessionEndedAsync(id, CancellationToken.None);
    }
}

/// <summary>The portal's sign-in: the cookie principal of a resident (only a session id) and the OIDC callbacks.</summary>
public static class ResidentSignIn
{
    public const string SignInPath = "/mijn/aanmelden";
    public const string RefusedPath = "/mijn/aanmelden/geweigerd";

    /// <summary>Starts a session for an eligible member and gives back the cookie principal that carries only its id.</summary>
    public static async Task<ClaimsPrincipal> StartAsync(IServiceProvider services, Guid memberId, CancellationToken ct)
    {
        var (sessionId, _) = await services.GetRequiredService<ResidentSessionStore>().StartAsync(memberId, ct);
        var identity = new ClaimsIdentity([new Claim(ResidentClaims.SessionId, sessionId.ToString())],
            Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// After the residents' provider sent someone back: a BSN (subject) of an eligible member gets a session and a cookie
    /// with nothing but the session id (the BSN does not stay in the cookie); anyone else the Dutch refusal page.
    /// </summary>
    public static async Task OnTicketReceivedAsync(TicketReceivedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var resident = context.Principal is { } principal
            ? await services.GetRequiredService<ResidentDirectory>().ResolveAsync(principal, context.HttpContext.RequestAborted)
            : null;
        if (resident is null)
        {
            context.Response.Redirect($"{RefusedPath}?reden=onbekend");
            context.HandleResponse();
            return;
        }
        context.Principal = await StartAsync(services, resident.MemberId, context.HttpContext.RequestAborted);
    }

    public static Task OnTokenValidatedAsync(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext context)
    {
        var settings = context.HttpContext.RequestServices.GetRequiredService<ResidentSettings>();
        if (!HasAcr(context.SecurityToken, settings))
        {
            context.Response.Redirect($"{RefusedPath}?reden=niveau");
            context.HandleResponse();
        }
        return Task.CompletedTask;
    }

    public static Task OnRemoteFailure(RemoteFailureContext context)
    {
        context.Response.Redirect($"{RefusedPath}?reden=fout");
        context.HandleResponse();
        return Task.CompletedTask;
    }

    /// <summary>The assurance level (<c>acr</c>) a residents' token must show, when <c>Residents:Acr</c> lists any.</summary>
    public static bool HasAcr(Microsoft.IdentityModel.Tokens.SecurityToken? token, ResidentSettings settings)
    {
        if (settings.Acr.Count == 0) return true;
        var acr = token switch
        {
            Microsoft.IdentityModel.JsonWebTokens.JsonWebToken jwt => jwt.Claims.FirstOrDefault(c => c.Type == "acr")?.Value,
            System.IdentityModel.Tokens.Jwt.JwtSecurityToken jwt => jwt.Claims.FirstOrDefault(c => c.Type == "acr")?.Value,
            _ => null,
        };
        return acr is not null && settings.Acr.Contains(acr, StringComparer.Ordinal);
    }
}

/// <summary>
/// A resident never reaches a staff page: every page outside the portal answers 404 to a signed-in resident (not a
/// redirect to "no access", which would confirm the page exists). The API's own policies refuse residents (403):
/// every staff policy requires <see cref="FrontlijnClaims.UserId"/>, which a resident never has.
/// </summary>
public static class ResidentGate
{
    public const string PortalPath = "/mijn";

    // The error page (Pages/Error.cshtml, "/fout") renders this very 404: it must not be refused in turn.
    private static readonly string[] Allowed = [PortalPath, "/afmelden", "/aanmelden", Frontlijn.Web.Pages.ErrorModel.Path, "/css", "/js", "/lib", "/favicon.svg"];

    public static IApplicationBuilder UseResidentGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (!WebConventions.IsMachinePath(path) && context.User.IsInRole(Roles.Resident) &&
            context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null &&
            !Allowed.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            if (path == "/")
            {
                context.Response.Redirect(PortalPath);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await next(context);
    });
}

public static class ResidentAuthSetup
{
    public const string ResidentOidcScheme = "oidc-residents";
    public const string ResidentBearerScheme = "bearer-residents";

    /// <summary>The residents' OIDC sign-in for the portal and their bearer tokens, beside the staff schemes.</summary>
    public static void AddResidentSchemes(AuthenticationBuilder authentication, AuthSettings auth, ResidentSettings residents)
    {
        if (auth.Mode != AuthMode.Oidc || residents.Authority is null) return;
        authentication.AddJwtBearer(ResidentBearerScheme, options =>
        {
            options.MapInboundClaims = false;
            options.Authority = residents.Authority;
            options.RequireHttpsMetadata = !residents.AuthorityIsLoopback;
            options.Audience = residents.Audience;
            options.TokenValidationParameters.ValidAudience = residents.Audience;
            options.TokenValidationParameters.ValidateAudience = true;
            options.TokenValidationParameters.ValidTypes = auth.AccessTokenTypes;
            options.Events = new Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (!ResidentSignIn.HasAcr(context.SecurityToken, residents))
                    {
                        context.Fail("The residents' token does not show the required assurance level (Residents:Acr).");
                    }
                    return Task.CompletedTask;
                },
            };
        });
        if (!residents.HasOidcSignIn(auth)) return;
        authentication.AddOpenIdConnect(ResidentOidcScheme, "DigiD", options =>
        {
            AuthSetup.UseCodeFlow(options, residents.Authority!, residents.AuthorityIsLoopback, residents.ClientId, residents.ClientSecret,
                "/mijn/aanmelden/oidc", "/mijn/afmelden/oidc");
            options.MapInboundClaims = false;
            options.SaveTokens = false;
            // The BSN is in the ID token's subject; userinfo adds nothing we use.
            options.GetClaimsFromUserInfoEndpoint = false;
            options.Scope.Clear();
            options.Scope.Add("openid");
            options.Events = new OpenIdConnectEvents
            {
                OnRedirectToIdentityProvider = context =>
                {
                    if (residents.Acr.Count > 0) context.ProtocolMessage.AcrValues = string.Join(' ', residents.Acr);
                    return Task.CompletedTask;
                },
                OnTokenValidated = ResidentSignIn.OnTokenValidatedAsync,
                OnTicketReceived = ResidentSignIn.OnTicketReceivedAsync,
                OnRemoteFailure = ResidentSignIn.OnRemoteFailure,
            };
        });
    }

    /// <summary>Routes a bearer token to the residents' handler by its (not yet validated) issuer; that handler validates it.</summary>
    public static bool IsResidentsBearer(HttpContext context, string token)
    {
        var residents = context.RequestServices.GetRequiredService<ResidentSettings>();
        var auth = context.RequestServices.GetRequiredService<AuthSettings>();
        if (auth.Mode != AuthMode.Oidc || residents.Authority is null) return false;
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        if (!handler.CanReadToken(token)) return false;
        try
        {
            return residents.IsResidentIssuer(handler.ReadJsonWebToken(token).Issuer, auth);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
