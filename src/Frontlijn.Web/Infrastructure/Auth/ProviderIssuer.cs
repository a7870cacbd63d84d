using Frontlijn.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// The issuer an admin's <c>externalSubject</c> belongs to: the configured identity provider's own issuer as its
/// discovery document states it (Auth:Authority and the issuer can differ, e.g. by a trailing slash), exactly what the
/// bearer handler validates and stamps on a token's claims. Demo mode: the demo issuer.
/// </summary>
public sealed class ProviderIssuer(AuthSettings settings, IOptionsMonitor<JwtBearerOptions> bearerOptions)
{
    public async Task<string> GetAsync(CancellationToken ct)
    {
        if (settings.Mode == AuthMode.Demo) return AuthSettings.DemoIssuer;
        var manager = bearerOptions.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager
            ?? throw new InvalidOperationException("The bearer handler has no OpenID configuration manager.");
        try
        {
            var configuration = await manager.GetConfigurationAsync(ct);
            return configuration.Issuer;
        }
        catch (InvalidOperationException)
        {
            throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Identity provider niet bereikbaar",
                "De identity provider is nu niet bereikbaar, dus het extern account-ID kan niet worden vastgelegd. Probeer het later opnieuw.");
        }
    }
}
