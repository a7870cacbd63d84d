using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Infrastructure.Web;

/// <summary>
/// The session cookie goes with every request a browser makes, whichever site caused it; a bearer token only with
/// requests our own code makes. So an unsafe /api call authenticated by the cookie must prove it comes from our own
/// pages: the antiforgery request token in the <see cref="HeaderName"/> header (the pages put it in a meta tag, our
/// scripts send it). Bodyless POSTs (mark read, action done, sign-off, retry) included. Bearer calls need nothing.
/// </summary>
public static class CookieApiAntiforgery
{
    public const string HeaderName = "RequestVerificationToken";

    /// <summary>The name the antiforgery options use, and the browser sees over https; over http it has no prefix.</summary>
    public const string CookieName = HostPrefix + PlainCookieName;

    private const string HostPrefix = "__Host-";
    private const string PlainCookieName = "frontlijn-af";

    public const string RefusedDetail =
        "Dit verzoek komt met de sessiecookie maar zonder geldig antiforgery-token in de header " + HeaderName +
        ". Er is niets gewijzigd. Laad de pagina opnieuw en probeer het nog eens, of gebruik een Bearer-token.";

    /// <summary>
    /// Antiforgery has one fixed cookie name and no cookie manager. Over https the browser gets
    /// <c>__Host-frontlijn-af</c> (Secure, Path=/, no Domain, like the session cookie); browsers refuse a
    /// <c>__Host-</c> cookie over plain http (loopback development, tests), so there the name goes without the
    /// prefix both ways. Runs before anything reads or writes the cookie.
    /// </summary>
    public static IApplicationBuilder UseAntiforgeryCookieName(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.IsHttps)
        {
            var cookies = context.Request.Headers.Cookie;
            if (cookies.Count > 0)
            {
                context.Request.Headers.Cookie = cookies.Select(header => string.Join("; ",
                    (header ?? "").Split(';').Select(part => part.Trim()).Where(part => part.Length > 0)
                        // A __Host- cookie cannot legitimately arrive over http; only the unprefixed one counts here.
                        .Where(part => !part.StartsWith(CookieName + "=", StringComparison.Ordinal))
                        .Select(part => part.StartsWith(PlainCookieName + "=", StringComparison.Ordinal) ? HostPrefix + part : part)))
                    .ToArray();
            }
            context.Response.OnStarting(() =>
            {
                var setCookies = context.Response.Headers.SetCookie;
                if (setCookies.Any(c => c?.StartsWith(CookieName + "=", StringComparison.Ordinal) == true))
                {
                    context.Response.Headers.SetCookie = setCookies
                        .Select(c => c?.StartsWith(CookieName + "=", StringComparison.Ordinal) == true ? c[HostPrefix.Length..] : c)
                        .ToArray();
                }
                return Task.CompletedTask;
            });
        }
        await next(context);
    });

    /// <summary>After authentication and authorization: refuses an unsafe /api call by cookie without a valid token (400).</summary>
    public static IApplicationBuilder UseCookieApiAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (NeedsToken(context) && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = 400, Title = "Bad Request", Detail = RefusedDetail },
            });
            return;
        }
        await next(context);
    });

    private static bool NeedsToken(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") &&
        !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ||
          HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method)) &&
        context.User.Identity?.IsAuthenticated == true &&
        AuthSchemes.Select(context) == CookieAuthenticationDefaults.AuthenticationScheme;
}
