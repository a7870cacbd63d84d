using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// The web sign-in's checks at the moment the identity provider sends someone back: multi-factor evidence in the ID
/// token (<see cref="AuthSettings.RequireMfa"/>), and a Frontlijn user bound to the token's issuer and subject (or
/// bound now, see <see cref="UserDirectory"/>) who is active. A refusal gets no session cookie and lands on a Dutch
/// page that says why (<see cref="RefusedPath"/>), instead of an error or a half signed-in state.
/// </summary>
public static class OidcSignIn
{
    public const string RefusedPath = "/aanmelden/geweigerd";

    public static class Reasons
    {
        public const string NoMfa = "mfa";
        public const string UnknownUser = "onbekend";
        public const string Deactivated = "gedeactiveerd";
        public const string Failed = "fout";
    }

    public static Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var settings = context.HttpContext.RequestServices.GetRequiredService<AuthSettings>();
        if (settings.RequireMfa && !UserDirectory.HasMfa(context.SecurityToken, settings))
        {
            Refuse(context, Reasons.NoMfa);
        }
        return Task.CompletedTask;
    }

    /// <summary>After userinfo, so that <c>preferred_username</c> from there counts for binding too.</summary>
    public static async Task OnTicketReceivedAsync(TicketReceivedContext context)
    {
        var directory = context.HttpContext.RequestServices.GetRequiredService<UserDirectory>();
        var user = context.Principal is { } principal
            ? await directory.ResolveAsync(principal, context.HttpContext.RequestAborted)
            : null;
        if (user is null) Refuse(context, Reasons.UnknownUser);
        else if (!user.IsActive) Refuse(context, Reasons.Deactivated);
    }

    public static Task OnRemoteFailure(RemoteFailureContext context)
    {
        // E.g. the person cancelled at the provider, or the correlation cookie was gone: no stack trace, a page.
        context.Response.Redirect($"{RefusedPath}?reden={Reasons.Failed}");
        context.HandleResponse();
        return Task.CompletedTask;
    }

    private static void Refuse<TOptions>(HandleRequestContext<TOptions> context, string reason)
        where TOptions : AuthenticationSchemeOptions
    {
        context.Response.Redirect($"{RefusedPath}?reden={reason}");
        context.HandleResponse();
    }
}
