using System.Net;
using System.Text;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// Demo mode signs anyone in as anyone with a key that sits in the repository, so it must never end up serving real
/// people (SPEC "Identity, sessions and roles"). Three locks, each enough on its own to stop an accident:
/// <list type="number">
/// <item>the double switch: <c>Auth:Mode=demo</c> <b>and</b> the Development or Demo environment (Production, Staging,
/// anything else refuses to start);</item>
/// <item>loopback only: start-up is refused when a configured URL would bind a non-loopback address, and a request
/// whose client address is not loopback is refused (403), unless <c>Demo:AllowRemote=true</c>;</item>
/// <item>a banner on every page, so nobody mistakes it for the real thing (Pages/Shared/_Layout.cshtml).</item>
/// </list>
/// </summary>
public static class DemoMode
{
    /// <summary>Where demo mode may run. "Testing" is deliberately not here: the tests run as "Demo".</summary>
    public static readonly IReadOnlySet<string> Environments =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Development", "Demo" };

    public const string AllowRemoteKey = "Demo:AllowRemote";

    public const string Banner = "Demo-omgeving: fictieve gegevens, niet voor echte huishoudens";

    /// <summary>The environment half of the double switch, and a usable signing key (from <see cref="AuthSettings"/>).</summary>
    public static void Validate(IHostEnvironment environment, string? demoSigningKey)
    {
        if (!Environments.Contains(environment.EnvironmentName))
        {
            throw new InvalidOperationException(
                $"Auth:Mode 'demo' is refused in {(environment.IsProduction() ? "Production" : environment.EnvironmentName)}: " +
                "anyone with the demo key could sign in as anyone. Demo mode runs only in the Development or Demo environment; " +
                "configure Auth:Mode=oidc with Auth:Authority and Auth:Audience.");
        }
        if (string.IsNullOrWhiteSpace(demoSigningKey) || Encoding.UTF8.GetByteCount(demoSigningKey) < 32)
        {
            throw new InvalidOperationException("Auth:DemoSigningKey must be set to at least 32 bytes in demo mode.");
        }
    }

    public static bool AllowsRemote(IConfiguration configuration) => configuration.GetValue(AllowRemoteKey, false);

    /// <summary>
    /// Refuses start-up, before anything is bound, when demo mode would listen beyond this machine: <c>urls</c>
    /// (ASPNETCORE_URLS, --urls), <c>http_ports</c>/<c>https_ports</c> (ASPNETCORE_HTTP_PORTS, which bind every
    /// interface; container images set it) and <c>Kestrel:Endpoints:*:Url</c>. Nothing configured means Kestrel's
    /// default, http://localhost:5000.
    /// </summary>
    public static void ValidateListening(IConfiguration configuration)
    {
        if (AllowsRemote(configuration)) return;
        var outside = NonLoopbackBindings(configuration);
        if (outside.Count > 0)
        {
            throw new InvalidOperationException(
                $"Demo mode serves only on loopback, but would listen on {string.Join(", ", outside)}. " +
                "Bind 127.0.0.1 or localhost (e.g. urls=http://127.0.0.1:5080), or set Demo:AllowRemote=true for a demo " +
                "that others must reach (it then still only shows fictitious data).");
        }
    }

    /// <summary>The configured bindings that are not loopback (as configured, for the message).</summary>
    public static IReadOnlyList<string> NonLoopbackBindings(IConfiguration configuration)
    {
        var bindings = new List<string>();
        var urls = configuration["urls"];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            bindings.AddRange(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else
        {
            // Only used when urls is not set; they always mean every interface.
            foreach (var key in new[] { "http_ports", "https_ports" })
            {
                foreach (var port in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    bindings.Add($"{(key == "http_ports" ? "http" : "https")}://*:{port}");
                }
            }
        }
        bindings.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).OfType<string>().Where(u => u.Length > 0));
        return bindings.Where(b => !IsLoopbackBinding(b)).ToList();
    }

    /// <summary>Only <c>localhost</c>, a loopback literal, or a Unix socket / named pipe; anything else binds outward.</summary>
    internal static bool IsLoopbackBinding(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false; // Kestrel will refuse it too; we do not guess.
        }
        if (address.IsUnixPipe || address.IsNamedPipe) return true;
        var host = address.Host.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IsLoopback(ip);
    }

    /// <summary>127.0.0.0/8, ::1 and their IPv4-mapped forms. No address (Unix socket, named pipe) is this machine too.</summary>
    public static bool IsLoopback(IPAddress? address) =>
        address is null || IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>
    /// Refuses every request from a non-loopback client (after X-Forwarded-For, when enabled: the real client) in demo
    /// mode, unless <c>Demo:AllowRemote=true</c>. Machines get problem+json, people a Dutch page. Written here, not via
    /// the status-code pages, because a re-executed error page would be refused again.
    /// </summary>
    public static IApplicationBuilder UseDemoLoopbackOnly(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<AuthSettings>();
        if (auth.Mode != AuthMode.Demo || AllowsRemote(app.Configuration)) return app;
        return app.Use(async (context, next) =>
        {
            if (IsLoopback(context.Connection.RemoteIpAddress))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            const string detail = "Deze demo-omgeving is alleen bereikbaar vanaf de computer waarop zij draait " +
                                  "(Demo:AllowRemote staat uit).";
            if (WebConventions.IsMachinePath(context.Request.Path))
            {
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 403, Title = "Forbidden", Detail = detail },
                });
                return;
            }
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Geen toegang · Frontlijn</title></head>" +
                $"<body><main><h1>Geen toegang</h1><p>{detail}</p></main></body></html>");
        });
    }
}
