using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.Features;

namespace Frontlijn.Web.Infrastructure.Web;

public static class WebConventions
{
    /// <summary>The full semver of the API contract (NL API Design Rules: API-Version header and info.version).</summary>
    public const string ApiVersion = "1.0.0";
    public const string ApiBase = "/api/v1";

    /// <summary>API-Version on every response, and the security headers a public government service should send.</summary>
    public static IApplicationBuilder UseFrontlijnHeaders(this IApplicationBuilder app)
    {
        var uiPolicy = UiContentSecurityPolicyFor(app.ApplicationServices.GetService<AuthSettings>());
        return app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["API-Version"] = ApiVersion;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                var path = context.Request.Path;
                // No page gets 'unsafe-inline' script or an https: wildcard, on whichever port it is served: the
                // Hangfire dashboard loads only its own script files, so our strict UI policy fits it (its inline style
                // attributes are dropped: cosmetic); Scalar's one inline bootstrap script carries a fresh nonce per
                // request (WithNonce in FrontlijnPipeline).
                headers.ContentSecurityPolicy =
                    path.StartsWithSegments("/api/reference")
                        ? ReferenceContentSecurityPolicy(context.Items[Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey] as string)
                        : path.StartsWithSegments("/hangfire")
                            ? UiContentSecurityPolicy
                            : IsMachinePath(path)
                                // JSON, metrics and the hub render nothing: nothing may load.
                                ? "default-src 'none'; frame-ancestors 'none'"
                                // Our own pages: only our own files, no inline script or style at all.
                                : uiPolicy;
            }
            if (context.Request.Path.Equals(ApiBase + "/openapi.json", StringComparison.Ordinal))
            {
                // The contract is public (NL API Design Rules): any site may read it, e.g. an API portal.
                headers.AccessControlAllowOrigin = "*";
            }
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }
            return Task.CompletedTask;
        });
        await next(context);
    });
    }

    /// <summary>
    /// With OIDC sign-in, the sign-in and sign-out forms redirect to the identity provider, and browsers apply
    /// form-action to every redirect of a form submission: the provider's origin is allowed as a form target too.
    /// </summary>
    public static string UiContentSecurityPolicyFor(AuthSettings? auth) =>
        auth is { HasOidcSignIn: true } && Uri.TryCreate(auth.Authority, UriKind.Absolute, out var authority)
            ? UiContentSecurityPolicy.Replace("form-action 'self'",
                $"form-action 'self' {authority.GetLeftPart(UriPartial.Authority)}", StringComparison.Ordinal)
            : UiContentSecurityPolicy;

    /// <summary>
    /// The API reference (Scalar): scripts only from us or with this response's nonce. Its components inject their
    /// styles at run time, so style-src allows inline styles there (styles cannot run code); fonts and images stay ours.
    /// </summary>
    internal static string ReferenceContentSecurityPolicy(string? nonce) =>
        $"default-src 'self'; script-src 'self'{(nonce is { Length: > 0 } ? $" 'nonce-{nonce}'" : "")}; " +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    public const string UiContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    /// <summary>
    /// Paths that machines call (API, hub, health, metrics, jobs dashboard): they answer with status codes and
    /// problem+json, never with a redirect to the sign-in page or an HTML error page. Everything else is the web UI.
    /// </summary>
    public static bool IsMachinePath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/health") ||
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/hangfire");

    /// <summary>Paging query (page 1..<see cref="MaxPage"/>, pageSize 1..200; 50 by default).</summary>
    public sealed record Paging(int Page, int PageSize)
    {
        public int Offset => (Page - 1) * PageSize;
        public int Limit => PageSize;
    }

    /// <summary>Keeps <see cref="Paging.Offset"/> inside an int: a larger page overflowed to a negative OFFSET (500 on PostgreSQL).</summary>
    public const int MaxPage = 1_000_000;

    public static Paging ReadPaging(int? page, int? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1) errors["page"] = ["page begint bij 1."];
        if (page is > MaxPage) errors["page"] = [$"page is hoogstens {MaxPage}."];
        if (pageSize is < 1 or > 200) errors["pageSize"] = ["pageSize ligt tussen 1 en 200."];
        if (errors.Count > 0)
        {
            throw new FluentValidation.ValidationException(errors.SelectMany(e =>
                e.Value.Select(m => new FluentValidation.Results.ValidationFailure(e.Key, m))));
        }
        return new Paging(page ?? 1, pageSize ?? 50);
    }

    /// <summary>Oversized bodies are refused before they are read (413 problem+json).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// A request that announces a body over the limit is answered 413 at once, before authentication, and the
    /// connection is closed: otherwise a 401/403 that never read the body leaves the rest of it on the connection and
    /// the client's next request on it fails.
    /// </summary>
    public static IApplicationBuilder UseBodySizeGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > MaxRequestBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.Headers.Connection = "close";
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = 413, Title = "Payload Too Large", Detail = ProblemExceptionHandler.TooLarge,
                },
            });
            return;
        }
        await next(context);
    });

    public static void LimitBody(HttpContext context)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = MaxRequestBodyBytes;
    }
}
