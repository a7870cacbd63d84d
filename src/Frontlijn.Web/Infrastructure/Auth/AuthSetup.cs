using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Frontlijn.Web.Infrastructure.Auth;

public enum AuthMode
{
    Demo,
    Oidc,
}

/// <param name="BootstrapAdmin">
/// <c>Auth:BootstrapAdmin</c>: a username that is made an admin at start-up when it does not exist yet, so that a fresh
/// OIDC installation has someone who can create the other users. Demo mode always has <c>admin</c>.
/// </param>
/// <param name="ClientId">OIDC client of the web pages (authorization code flow); without it the pages cannot sign in
/// in oidc mode, while the API keeps accepting bearer tokens.</param>
public sealed record AuthSettings(
    AuthMode Mode, string? DemoSigningKey, string? Authority, string? Audience, string? BootstrapAdmin = null,
    string? ClientId = null, string? ClientSecret = null)
{
    public const string DemoIssuer = "frontlijn-demo";
    public const string DemoAudience = "frontlijn";

    /// <summary>Environments in which demo mode may run; anything else (Production, Staging, ...) refuses it.</summary>
    public static IReadOnlySet<string> DemoEnvironments => DemoMode.Environments;

    public static AuthSettings FromConfiguration(IConfiguration configuration, IHostEnvironment environment, bool validate = true)
    {
        var modeText = configuration["Auth:Mode"];
        var mode = modeText?.Trim().ToLowerInvariant() switch
        {
            null or "" => environment.IsDevelopment() ? AuthMode.Demo : AuthMode.Oidc,
            "demo" => AuthMode.Demo,
            "oidc" => AuthMode.Oidc,
            _ => throw new InvalidOperationException($"Auth:Mode '{modeText}' is not supported; use 'demo' or 'oidc'."),
        };
        var settings = new AuthSettings(mode, configuration["Auth:DemoSigningKey"], configuration["Auth:Authority"],
            configuration["Auth:Audience"], configuration["Auth:BootstrapAdmin"]?.Trim().ToLowerInvariant(),
            configuration["Auth:ClientId"], configuration["Auth:ClientSecret"]);
        settings = settings with
        {
            SubjectClaim = configuration["Auth:SubjectClaim"] is { Length: > 0 } claim ? claim.Trim() : "sub",
            RequireMfa = configuration.GetValue("Auth:RequireMfa", mode == AuthMode.Oidc),
            MfaAcr = (configuration["Auth:MfaAcr"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            BindByUsername = configuration.GetValue("Auth:BindByUsername", false),
            AccessTokenTypes = configuration["Auth:AccessTokenTypes"] is { Length: > 0 } types
                ? types.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : ["at+jwt", "application/at+jwt"],
        };
        if (validate) settings.Validate(environment);
        return settings;
    }

    /// <summary><c>Auth:SubjectClaim</c> (default <c>sub</c>): the token claim that identifies a person at the identity
    /// provider, stored as <c>users.external_subject</c>; Entra ID's stable object id is <c>oid</c>.</summary>
    public string SubjectClaim { get; init; } = "sub";

    /// <summary><c>Auth:RequireMfa</c> (default true in oidc mode): refuse tokens without multi-factor evidence.</summary>
    public bool RequireMfa { get; init; }

    /// <summary><c>Auth:MfaAcr</c>: space-separated <c>acr</c> values that count as multi-factor evidence too, and that
    /// the web sign-in asks the provider for (<c>acr_values</c>).</summary>
    public IReadOnlyList<string> MfaAcr { get; init; } = [];

    /// <summary><c>Auth:BindByUsername</c> (default false): bind an unbound user to the issuer and subject of the first
    /// token whose <c>preferred_username</c> equals their username.</summary>
    public bool BindByUsername { get; init; }

    /// <summary><c>Auth:AccessTokenTypes</c> (default <c>at+jwt</c>, RFC 9068): the JWT <c>typ</c> headers accepted
    /// as access tokens. A provider that types its access tokens plain <c>JWT</c> (Entra ID) needs <c>JWT</c> here; then
    /// only the audience keeps its ID tokens out, so Auth:ClientId must differ from Auth:Audience (checked at start).</summary>
    public IReadOnlyList<string> AccessTokenTypes { get; init; } = ["at+jwt", "application/at+jwt"];

    /// <summary><c>amr</c> values (RFC 8176) that show more than one factor was used.</summary>
    public static readonly IReadOnlySet<string> MfaMethods =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "mfa", "otp", "hwk", "sms" };

    /// <summary>Whether the authority may be reached over plain http: only on loopback (tests, a local provider).</summary>
    public bool AuthorityIsLoopback =>
        Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && uri.IsLoopback;

    private void Validate(IHostEnvironment environment)
    {
        if (Mode == AuthMode.Demo)
        {
            DemoMode.Validate(environment, DemoSigningKey);
        }
        else if (string.IsNullOrWhiteSpace(Authority) || string.IsNullOrWhiteSpace(Audience))
        {
            throw new InvalidOperationException("Auth:Mode 'oidc' needs Auth:Authority and Auth:Audience.");
        }
        else if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) ||
                 (authority.Scheme != Uri.UriSchemeHttps && !(authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            throw new InvalidOperationException(
                "Auth:Authority must be an https URL (plain http only for a provider on loopback, as in tests).");
        }
        else if (AccessTokenTypes.Any(t => !t.EndsWith("at+jwt", StringComparison.OrdinalIgnoreCase)) &&
                 string.Equals(ClientId, Audience, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "Auth:AccessTokenTypes accepts untyped JWTs, so Auth:ClientId must differ from Auth:Audience: " +
                "otherwise the web client's ID tokens would pass as access tokens for the API.");
        }
    }

    public SymmetricSecurityKey DemoKey() => new(Encoding.UTF8.GetBytes(DemoSigningKey!));

    /// <summary>Whether the pages can sign people in through the identity provider.</summary>
    public bool HasOidcSignIn => Mode == AuthMode.Oidc && !string.IsNullOrWhiteSpace(ClientId);
}

public static class AuthSetup
{
    public static IServiceCollection AddFrontlijnAuth(this IServiceCollection services, AuthSettings settings, ResidentSettings residents,
        TokenCacheSettings tokenCacheSettings)
    {
        // The system clock, not the service's TimeProvider: the token validator checks lifetimes against it.
        var tokenCache = new ValidatedTokenCache(tokenCacheSettings, TimeProvider.System);
        services.AddSingleton(tokenCache);
        services.AddSingleton(residents);
        services.AddScoped<ResidentDirectory>();
        services.AddScoped<ResidentSessionStore>();
        services.AddScoped<Frontlijn.Web.Features.Residents.ResidentScope>();
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<UserDirectory>();
        services.AddSingleton<ProviderIssuer>();
        services.AddScoped<IClaimsTransformation, UserClaimsTransformation>();
        var authentication = services.AddAuthentication(options =>
        {
            // One default for everything (API, hub, pages, Hangfire): the policy scheme picks bearer or cookie per request.
            options.DefaultScheme = AuthSchemes.Selector;
            options.DefaultChallengeScheme = AuthSchemes.Selector;
        });
        authentication.AddPolicyScheme(AuthSchemes.Selector, "Bearer or cookie", options =>
            options.ForwardDefaultSelector = AuthSchemes.Select);
        authentication.AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, options =>
        {
            options.Cookie.Name = AuthSchemes.CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request is https; plain http only serves loopback development and tests.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.CookieManager = new HostPrefixCookieManager();
            options.LoginPath = "/aanmelden";
            options.LogoutPath = "/afmelden";
            options.AccessDeniedPath = "/geen-toegang";
            // Lifetime, idle timeout and the server-side session behind the cookie: Sessions.cs (AddFrontlijnSessions).
            options.Events = new CookieAuthenticationEvents
            {
                // Machines never follow a login redirect: the API and the hub keep answering 401/403 (problem+json
                // is written by the status-code pages), whichever scheme was selected.
                OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized),
                OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden),
            };
        });
        if (settings.HasOidcSignIn)
        {
            authentication.AddOpenIdConnect(AuthSchemes.Oidc, "Organisatieaccount", options =>
            {
                UseCodeFlow(options, settings.Authority!, settings.AuthorityIsLoopback, settings.ClientId, settings.ClientSecret,
                    "/aanmelden/oidc", "/afmelden/oidc");
                // Claims keep the provider's names (no mapping to .NET role/name URIs); UserClaimsTransformation
                // removes whatever could pass for ours.
                options.MapInboundClaims = false;
                // The cookie keeps who someone is; role, team and organisation come from our users table on every
                // request (UserClaimsTransformation), so a changed role applies at once and no tokens sit in the cookie.
                options.SaveTokens = false;
                options.GetClaimsFromUserInfoEndpoint = true;
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("profile");
                options.TokenValidationParameters.NameClaimType = "preferred_username";
                options.Events = new OpenIdConnectEvents
                {
                    OnRedirectToIdentityProvider = context =>
                    {
                        // Ask for multi-factor sign-in where the provider knows an acr for it.
                        if (settings.RequireMfa && settings.MfaAcr.Count > 0)
                        {
                            context.ProtocolMessage.AcrValues = string.Join(' ', settings.MfaAcr);
                        }
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = OidcSignIn.OnTokenValidatedAsync,
                    OnTicketReceived = OidcSignIn.OnTicketReceivedAsync,
                    OnRemoteFailure = OidcSignIn.OnRemoteFailure,
                };
            });
        }
        authentication.AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            // A token validated in full once is accepted from memory until its exp or Auth:TokenCacheSeconds
            // (ValidatedTokenCache); everything after validation (OnTokenValidated, the claims transformation) runs as before.
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(new CachingJsonWebTokenHandler(tokenCache) { MapInboundClaims = false });
            if (settings.Mode == AuthMode.Demo)
            {
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    // Staff demo tokens and residents' demo tokens (SPEC: "issuer frontlijn-demo-residents", sub = BSN);
                    // UserClaimsTransformation tells them apart by the validated issuer.
                    ValidIssuers = [AuthSettings.DemoIssuer, ResidentSettings.DemoIssuer],
                    ValidAudience = AuthSettings.DemoAudience,
                    IssuerSigningKey = settings.DemoKey(),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = "sub",
                    ClockSkew = TimeSpan.FromMinutes(1),
                };
            }
            else
            {
                options.Authority = settings.Authority;
                // Plain http only for a provider on loopback (tests); see AuthSettings.Validate.
                options.RequireHttpsMetadata = !settings.AuthorityIsLoopback;
                options.Audience = settings.Audience;
                options.TokenValidationParameters.ValidAudience = settings.Audience;
                options.TokenValidationParameters.ValidateAudience = true;
                // Only access tokens (RFC 9068 "at+jwt"): an ID token, even one whose audience happens to be ours,
                // is a statement to a client about a sign-in, not a grant to call this API.
                options.TokenValidationParameters.ValidTypes = settings.AccessTokenTypes;
                options.TokenValidationParameters.NameClaimType = "preferred_username";
            }
            options.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on WebSocket requests: SignalR sends the token as access_token.
                OnMessageReceived = context =>
                {
                    var token = context.Request.Query["access_token"];
                    if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                    {
                        context.Token = token;
                    }
                    return Task.CompletedTask;
                },
                OnTokenValidated = async context =>
                {
                    // The token's own end, which a hub connection opened with it must not outlive (Realtime/HubConnections.cs).
                    if (context.SecurityToken is { ValidTo: var validTo } && validTo > DateTime.MinValue)
                    {
                        context.Properties.ExpiresUtc = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
                    }
                    // Both modes, API and hub alike: the token is valid, but is the person still allowed in?
                    if (settings.Mode == AuthMode.Oidc && settings.RequireMfa &&
                        !UserDirectory.HasMfa(context.SecurityToken, settings))
                    {
                        context.Fail("The token shows no multi-factor authentication (amr/acr) and Auth:RequireMfa is on.");
                        return;
                    }
                    var directory = context.HttpContext.RequestServices.GetRequiredService<UserDirectory>();
                    try
                    {
                        // Not the request's token: the handler logs whatever this event throws as an error with a
                        // stack trace, also the cancellation of a client that hung up. One small lookup finishes anyway.
                        if (context.Principal is { } principal &&
                            await directory.ResolveAsync(principal, CancellationToken.None) is { IsActive: false })
                        {
                            // Deactivation refuses tokens at once, however long they are still valid.
                            context.Fail("The user is deactivated.");
                        }
                    }
                    catch (Exception ex) when (DatabaseUnavailable.Is(ex))
                    {
                        // Not thrown from here: the bearer handler would log every request of an outage as an error
                        // with a stack trace. The directory remembers the failure and the claims transformation, which
                        // runs next for this principal, throws it outside the handler: 503 from the exception handler.
                        // Nothing is let in meanwhile: without the transformation's claims no policy passes.
                    }
                },
            };
        });
        ResidentAuthSetup.AddResidentSchemes(authentication, settings, residents);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Resident, p => p.RequireClaim(ResidentClaims.MemberId).RequireClaim(ResidentClaims.HouseholdId)
                .RequireRole(Roles.Resident))
            .AddPolicy(Policies.KnownUser, p => p.RequireAuthenticatedUser().RequireClaim(FrontlijnClaims.UserId))
            .AddPolicy(Policies.Admin, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.Admin))
            .AddPolicy(Policies.TeamLead, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.TeamLead))
            .AddPolicy(Policies.Coach, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.Coach))
            .AddPolicy(Policies.BackOffice, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.BackOffice))
            .AddPolicy(Policies.CoachOrTeamLead, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.Coach, Roles.TeamLead))
            .AddPolicy(Policies.RequestParticipant, p => p.RequireClaim(FrontlijnClaims.UserId)
                .RequireRole(Roles.Coach, Roles.TeamLead, Roles.BackOffice))
            .AddPolicy(Policies.CoachOrBackOffice, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.Coach, Roles.BackOffice))
            .AddPolicy(Policies.TeamLeadOrAdmin, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.TeamLead, Roles.Admin));
        // A role refusal on household data is access-logged like a refusal in a handler (NEN 7513).
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler,
            Frontlijn.Web.Features.AccessLog.PolicyRefusalLog>();
        return services;
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (WebConventions.IsMachinePath(context.Request.Path))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The authorization code flow both sign-ins use (staff, and residents through their DigiD broker): PKCE, the code
    /// as a top-level GET (response_mode query), so the correlation and nonce cookies can be SameSite=Lax (form_post
    /// would need SameSite=None, which browsers refuse without https); metadata over plain http only for a provider on
    /// loopback (tests; the settings refuse any other http authority). The cookie scheme signs the user in.
    /// </summary>
    internal static void UseCodeFlow(OpenIdConnectOptions options, string authority, bool authorityIsLoopback, string? clientId,
        string? clientSecret, string callbackPath, string signedOutCallbackPath)
    {
        options.Authority = authority;
        options.RequireHttpsMetadata = !authorityIsLoopback;
        options.ClientId = clientId;
        options.ClientSecret = clientSecret;
        options.ResponseType = "code";
        options.UsePkce = true;
        options.ResponseMode = "query";
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.CallbackPath = callbackPath;
        options.SignedOutCallbackPath = signedOutCallbackPath;
    }
}

/// <summary>The authentication schemes and how a request chooses between them.</summary>
public static class AuthSchemes
{
    public const string Selector = "frontlijn";
    public const string Oidc = OpenIdConnectDefaults.AuthenticationScheme;
    public const string CookieName = "frontlijn-sessie";

    /// <summary>
    /// A bearer token (header, or <c>access_token</c> on the hub as SignalR sends it from browsers) selects the JWT
    /// handler, so tools and tests can open any page or endpoint with the API's token. Otherwise our session cookie, when
    /// the request carries one. Machine paths without either stay on bearer, so their 401 and WWW-Authenticate are
    /// exactly what API clients expect; pages without either go to the cookie handler, which redirects to sign-in.
    /// </summary>
    public static string Select(HttpContext context)
    {
        var request = context.Request;
        string authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // A token of the residents' provider (oidc mode) goes to its own handler, which validates it.
            return ResidentAuthSetup.IsResidentsBearer(context, authorization["Bearer ".Length..].Trim())
                ? ResidentAuthSetup.ResidentBearerScheme
                : JwtBearerDefaults.AuthenticationScheme;
        }
        if (request.Path.StartsWithSegments(NotificationsHubPath) && request.Query.ContainsKey("access_token"))
        {
            return JwtBearerDefaults.AuthenticationScheme;
        }
        if (HostPrefixCookieManager.HasSessionCookie(request))
        {
            return CookieAuthenticationDefaults.AuthenticationScheme;
        }
        return WebConventions.IsMachinePath(request.Path)
            ? JwtBearerDefaults.AuthenticationScheme
            : CookieAuthenticationDefaults.AuthenticationScheme;
    }

    private const string NotificationsHubPath = "/hubs";
}

/// <summary>
/// Names the session cookie <c>__Host-frontlijn-sessie</c> over https (the browser then guarantees Secure, Path=/ and
/// no Domain, so no sibling host can plant or read it) and <c>frontlijn-sessie</c> over plain http, where browsers
/// refuse <c>__Host-</c> cookies (loopback development and tests).
/// </summary>
public sealed class HostPrefixCookieManager : ICookieManager
{
    private const string HostPrefix = "__Host-";
    private readonly ChunkingCookieManager _inner = new();

    public static bool HasSessionCookie(HttpRequest request) =>
        request.Cookies.ContainsKey(NameFor(request, AuthSchemes.CookieName));

    private static string NameFor(HttpRequest request, string key) => request.IsHttps ? HostPrefix + key : key;

    public string? GetRequestCookie(HttpContext context, string key) =>
        _inner.GetRequestCookie(context, NameFor(context.Request, key));

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options)
    {
        if (context.Request.IsHttps)
        {
            options.Secure = true;
            options.Path = "/";
            options.Domain = null;
        }
        _inner.AppendResponseCookie(context, NameFor(context.Request, key), value, options);
    }

    public void DeleteCookie(HttpContext context, string key, CookieOptions options)
    {
        if (context.Request.IsHttps)
        {
            options.Secure = true;
            options.Path = "/";
            options.Domain = null;
        }
        _inner.DeleteCookie(context, NameFor(context.Request, key), options);
    }
}

/// <summary>Issues demo-mode tokens (the <c>token</c> verb, tests, the demo sign-in).</summary>
public static class DemoTokens
{
    public static string Issue(AuthSettings settings, string username, TimeProvider time, TimeSpan? lifetime = null)
    {
        if (settings.Mode != AuthMode.Demo)
        {
            throw new InvalidOperationException("Tokens can only be issued in demo mode.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var token = new JwtSecurityToken(
            issuer: AuthSettings.DemoIssuer,
            audience: AuthSettings.DemoAudience,
            claims: [new Claim("sub", username.Trim().ToLowerInvariant())],
            notBefore: now.AddMinutes(-1),
            expires: now.Add(lifetime ?? TimeSpan.FromHours(12)),
            signingCredentials: new SigningCredentials(settings.DemoKey(), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    /// <summary>A resident's demo token: issuer <see cref="ResidentSettings.DemoIssuer"/>, <c>sub</c> = the BSN.</summary>
    public static string IssueResident(AuthSettings settings, string bsn, TimeProvider time, TimeSpan? lifetime = null)
    {
        if (settings.Mode != AuthMode.Demo)
        {
            throw new InvalidOperationException("Tokens can only be issued in demo mode.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var token = new JwtSecurityToken(
            issuer: ResidentSettings.DemoIssuer,
            audience: AuthSettings.DemoAudience,
            claims: [new Claim("sub", bsn.Trim())],
            notBefore: now.AddMinutes(-1),
            expires: now.Add(lifetime ?? TimeSpan.FromHours(1)),
            signingCredentials: new SigningCredentials(settings.DemoKey(), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
