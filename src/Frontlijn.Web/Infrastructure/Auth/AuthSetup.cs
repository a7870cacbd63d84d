using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
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
public sealed record AuthSettings(AuthMode Mode, string? DemoSigningKey, string? Authority, string? Audience, string? BootstrapAdmin = null)
{
    public const string DemoIssuer = "frontlijn-demo";
    public const string DemoAudience = "frontlijn";

    /// <summary>Environments in which demo mode may run; anything else (Production, Staging, ...) refuses it.</summary>
    public static readonly IReadOnlySet<string> DemoEnvironments =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Development", "Testing", "Demo" };

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
            configuration["Auth:Audience"], configuration["Auth:BootstrapAdmin"]?.Trim().ToLowerInvariant());
        if (validate) settings.Validate(environment);
        return settings;
    }

    private void Validate(IHostEnvironment environment)
    {
        if (Mode == AuthMode.Demo)
        {
            if (!DemoEnvironments.Contains(environment.EnvironmentName))
            {
                throw new InvalidOperationException(
                    $"Auth:Mode 'demo' is refused in {(environment.IsProduction() ? "Production" : environment.EnvironmentName)}: " +
                    "anyone with the demo key could sign in as anyone. Demo mode runs only in Development, Testing or Demo; " +
                    "configure Auth:Mode=oidc with Auth:Authority and Auth:Audience.");
            }
            if (string.IsNullOrWhiteSpace(DemoSigningKey) || Encoding.UTF8.GetByteCount(DemoSigningKey) < 32)
            {
                throw new InvalidOperationException("Auth:DemoSigningKey must be set to at least 32 bytes in demo mode.");
            }
        }
        else if (string.IsNullOrWhiteSpace(Authority) || string.IsNullOrWhiteSpace(Audience))
        {
            throw new InvalidOperationException("Auth:Mode 'oidc' needs Auth:Authority and Auth:Audience.");
        }
    }

    public SymmetricSecurityKey DemoKey() => new(Encoding.UTF8.GetBytes(DemoSigningKey!));
}

public static class AuthSetup
{
    public static IServiceCollection AddFrontlijnAuth(this IServiceCollection services, AuthSettings settings)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<IClaimsTransformation, UserClaimsTransformation>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            if (settings.Mode == AuthMode.Demo)
            {
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = AuthSettings.DemoIssuer,
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
                options.Audience = settings.Audience;
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
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.KnownUser, p => p.RequireAuthenticatedUser().RequireClaim(FrontlijnClaims.UserId))
            .AddPolicy(Policies.Admin, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.Admin))
            .AddPolicy(Policies.TeamLead, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.TeamLead))
            .AddPolicy(Policies.Coach, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.Coach))
            .AddPolicy(Policies.BackOffice, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.BackOffice))
            .AddPolicy(Policies.CoachOrTeamLead, p => p.RequireClaim(FrontlijnClaims.UserId).RequireRole(Roles.Coach, Roles.TeamLead));
        return services;
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
}
