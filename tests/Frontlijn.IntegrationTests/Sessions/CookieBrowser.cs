using System.Net;
using System.Text.RegularExpressions;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Sessions;

/// <summary>
/// What a browser does with cookies, made explicit: it keeps the cookies the server sets (and forgets deleted
/// ones), sends them back, follows no redirects, and can send extra headers on every request (a TLS proxy's
/// X-Forwarded-Proto). Tests can copy its cookies to replay them later or on another node.
/// </summary>
public sealed partial class CookieBrowser : IDisposable
{
    private readonly HttpClient _client;
    private readonly Dictionary<string, string> _headers;

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>Every Set-Cookie header received, in order (attribute checks).</summary>
    public List<string> SetCookies { get; } = [];

    public CookieBrowser(Uri server, IReadOnlyDictionary<string, string>? headers = null)
    {
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server };
        _headers = new Dictionary<string, string>(headers ?? new Dictionary<string, string>());
    }

    public CookieBrowser(TestApp app, IReadOnlyDictionary<string, string>? headers = null) : this(app.ServerAddress, headers)
    {
    }

    /// <summary>The same cookies in a browser aimed at another node (or the same node after a restart).</summary>
    public CookieBrowser CopyTo(Uri server)
    {
        var copy = new CookieBrowser(server, _headers);
        foreach (var (name, value) in Cookies) copy.Cookies[name] = value;
        return copy;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in _headers) request.Headers.TryAddWithoutValidation(name, value);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        if (Cookies.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }
        var response = await _client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                SetCookies.Add(setCookie);
                var pair = setCookie.Split(';')[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = pair[..equals].Trim();
                var value = pair[(equals + 1)..].Trim();
                var expired = ExpiresInThePast().IsMatch(setCookie);
                if (value.Length == 0 || expired) Cookies.Remove(name);
                else Cookies[name] = value;
            }
        }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<HttpResponseMessage> PostAsync(string path, IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, new ByteArrayContent([]), headers);

    /// <summary>A page's form token (the hidden __RequestVerificationToken field), as a browser would submit it.</summary>
    public async Task<string> FormTokenAsync(string path)
    {
        using var page = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var match = FormToken().Match(html);
        Assert.True(match.Success, $"No antiforgery form field on {path}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The token a signed-in page puts in its meta tag for our scripts.</summary>
    public async Task<string> MetaTokenAsync(string path = "/")
    {
        using var page = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var match = MetaToken().Match(await page.Content.ReadAsStringAsync());
        Assert.True(match.Success, $"No antiforgery meta tag on {path}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Signs in through the demo sign-in page (/aanmelden), the way a person does: pick the user, submit.</summary>
    public async Task SignInAsync(string username)
    {
        var token = await FormTokenAsync("/aanmelden");
        using var response = await SendAsync(HttpMethod.Post, "/aanmelden?handler=Demo", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["username"] = username, ["__RequestVerificationToken"] = token }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"Sign-in as {username} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Signs out through the sign-out page's form (POST /afmelden with its antiforgery token).</summary>
    public async Task SignOutAsync()
    {
        var token = await FormTokenAsync("/afmelden");
        using var response = await SendAsync(HttpMethod.Post, "/afmelden", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-out answered {(int)response.StatusCode}");
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="([^"]+)"[^>]*>""")]
    private static partial Regex FormToken();

    [GeneratedRegex("""<meta name="antiforgery-token" content="([^"]+)">""")]
    private static partial Regex MetaToken();

    [GeneratedRegex(@"expires=[^;]*1970", RegexOptions.IgnoreCase)]
    private static partial Regex ExpiresInThePast();
}
