using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Identity;

/// <summary>
/// A real OpenID provider process (tests/oidc-provider: panva/oidc-provider under Node) on 127.0.0.1 and a free port.
/// Started by a fixture, which waits for its discovery document and kills it at the end; it also exits by itself
/// when its standard input closes (a test host that dies). A missing node, npm or provider fails the tests, never
/// skips them (CI or not). Tokens are obtained through the real authorization-code + PKCE flow, over HTTP, with the
/// provider's own login form.
/// </summary>
public sealed partial class OidcProvider : IAsyncDisposable
{
    public const string ApiAudience = "api://frontlijn";
    public const string OtherAudience = "api://elders";
    public const string WebClientId = "frontlijn-web";
    public const string WebClientSecret = "frontlijn-web-secret";
    public const string TestsClientId = "frontlijn-tests";
    public const string TestsClientSecret = "frontlijn-tests-secret";
    /// <summary>A client whose client_id is the API audience: its ID tokens carry aud = the API.</summary>
    public const string LookalikeClientId = ApiAudience;
    public const string LookalikeClientSecret = "lookalike-secret";
    public const string RedirectUri = "http://127.0.0.1/callback";

    private static readonly NodeTestTool Tool = new("oidc-provider", "provider.mjs", "OpenID provider");

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _http;

    public Uri Issuer { get; }

    private OidcProvider(Process process, StringBuilder output, Uri issuer)
    {
        _process = process;
        _output = output;
        Issuer = issuer;
        _http = new HttpClient { BaseAddress = issuer, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The directory of the provider (package.json, provider.mjs), found upwards from the test binaries.</summary>
    public static string Directory => Tool.Directory;

    public static async Task<OidcProvider> StartAsync()
    {
        var node = Tool.Node();
        await Tool.EnsureInstalledAsync("oidc-provider");
        var port = FreePort();
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("provider.mjs");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.StartsWith("oidc-provider ready ", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (output) output.AppendLine(e.Data);
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("The OpenID provider exited."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var provider = new OidcProvider(process, output, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
            // Ready only when discovery answers, as the service will read it.
            using var discovery = await provider._http.GetAsync("/.well-known/openid-configuration");
            var document = JsonNode.Parse(await discovery.Content.ReadAsStringAsync())!;
            if (discovery.StatusCode != HttpStatusCode.OK || document["issuer"]?.GetValue<string>() != provider.Issuer.ToString().TrimEnd('/'))
            {
                throw new InvalidOperationException($"Unexpected discovery document: {document}");
            }
        }
        catch (Exception ex)
        {
            var log = provider.Output;
            await provider.DisposeAsync();
            throw new InvalidOperationException($"The OpenID provider in {Directory} did not start: {ex.Message}\n{log}", ex);
        }
        return provider;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The settings that put a <see cref="TestApp"/> in oidc mode against this provider.</summary>
    public Dictionary<string, string> AppSettings(bool bindByUsername = false) => new()
    {
        ["Auth:Mode"] = "oidc",
        ["Auth:Authority"] = Issuer.ToString().TrimEnd('/'),
        ["Auth:Audience"] = ApiAudience,
        ["Auth:ClientId"] = WebClientId,
        ["Auth:ClientSecret"] = WebClientSecret,
        ["Auth:BootstrapAdmin"] = "admin",
        ["Auth:BindByUsername"] = bindByUsername ? "true" : "false",
        ["Auth:MfaAcr"] = MfaAcr,
    };

    /// <summary>An acr value the apps are configured to accept as multi-factor evidence (Auth:MfaAcr).</summary>
    public const string MfaAcr = "urn:frontlijn:test:loa:substantial";

    /// <summary>Creates or changes an account at the provider (renaming someone between sign-ins, for instance).</summary>
    public async Task PutAccountAsync(string subject, string preferredUsername, string? name = null, string[]? amr = null,
        string? acr = null, IReadOnlyDictionary<string, object>? extraClaims = null)
    {
        using var response = await _http.PutAsJsonAsync($"/test/accounts/{Uri.EscapeDataString(subject)}", new
        {
            preferred_username = preferredUsername,
            name = name ?? preferredUsername,
            amr = amr ?? ["pwd", "otp", "mfa"],
            acr,
            extraClaims = extraClaims ?? new Dictionary<string, object>(),
        });
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"PUT account {subject}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public sealed record Tokens(string AccessToken, string? IdToken);

    /// <summary>
    /// Signs in as <paramref name="login"/> (subject or current preferred_username) through the authorization-code +
    /// PKCE flow, exactly as a client would: authorize, the provider's login form, the redirect with the code, the token
    /// endpoint. A fresh cookie jar every time, so every call is a new sign-in at the provider.
    /// </summary>
    public async Task<Tokens> SignInAsync(string login, string? resource = ApiAudience, string clientId = TestsClientId,
        string clientSecret = TestsClientSecret)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = Issuer, Timeout = TimeSpan.FromSeconds(30) };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var query = new Dictionary<string, string>
        {
            ["client_id"] = clientId, ["response_type"] = "code", ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid profile api other", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
            ["state"] = state,
        };
        if (resource is not null) query["resource"] = resource;
        var next = new Uri(Issuer, "/auth?" + string.Join('&', query.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}")));
        string? code = null;
        HttpContent? post = null;
        for (var step = 0; step < 10 && code is null; step++)
        {
            using var response = post is null ? await browser.GetAsync(next) : await browser.PostAsync(next, post);
            post = null;
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var target = location.IsAbsoluteUri ? location : new Uri(next, location);
                if (target.GetLeftPart(UriPartial.Path) == RedirectUri)
                {
                    var parameters = System.Web.HttpUtility.ParseQueryString(target.Query);
                    if (parameters["state"] != state) throw new InvalidOperationException("state mismatch");
                    code = parameters["code"] ?? throw new InvalidOperationException($"No code: {target}");
                }
                next = target;
                continue;
            }
            if (response.StatusCode == HttpStatusCode.OK && LoginForm().Match(body) is { Success: true } form)
            {
                next = new Uri(next, WebUtility.HtmlDecode(form.Groups[1].Value));
                post = new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = login, ["password"] = "test" });
                continue;
            }
            throw new InvalidOperationException($"Sign-in as {login} stopped at {next}: {(int)response.StatusCode} {body}");
        }
        if (code is null) throw new InvalidOperationException($"Sign-in as {login} did not end at the redirect URI");

        var tokenRequest = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier, ["client_id"] = clientId, ["client_secret"] = clientSecret,
        };
        if (resource is not null) tokenRequest["resource"] = resource;
        using var tokenResponse = await browser.PostAsync("/token", new FormUrlEncodedContent(tokenRequest));
        var tokenBody = await tokenResponse.Content.ReadAsStringAsync();
        if (tokenResponse.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Token request: {(int)tokenResponse.StatusCode} {tokenBody}");
        }
        var json = JsonNode.Parse(tokenBody)!;
        return new Tokens(json["access_token"]!.GetValue<string>(), json["id_token"]?.GetValue<string>());
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex LoginForm();

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close(); // the provider exits when its stdin closes
                if (!_process.WaitForExit(3000)) _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
    }
}
