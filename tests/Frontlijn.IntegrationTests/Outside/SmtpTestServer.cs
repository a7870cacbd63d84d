using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Outside;

/// <summary>
/// A real SMTP server process (tests/smtp-server: the npm smtp-server package under Node) on 127.0.0.1 and a free
/// port, with a loopback HTTP port that lists the mails it received (parsed by mailparser). Started like the OpenID
/// provider (<see cref="Identity.OidcProvider"/>): <c>npm ci</c> when node_modules is missing, ready when it says so,
/// killed at the end, and it exits by itself when its standard input closes. A missing node or npm fails the tests,
/// never skips them.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private static readonly NodeTestTool Tool = new("smtp-server", "server.mjs", "SMTP server");

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _http;

    public int SmtpPort { get; }

    private SmtpTestServer(Process process, StringBuilder output, int smtpPort, int httpPort)
    {
        _process = process;
        _output = output;
        SmtpPort = smtpPort;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public sealed record Mail(int Id, string? From, string[] To, string Subject, string Text, string? User, DateTimeOffset ReceivedAt);

    public static string Directory => Tool.Directory;

    /// <summary>The settings that make a <see cref="TestApp"/> send its mail here (with a username, to exercise AUTH).</summary>
    public Dictionary<string, string> AppSettings() => new()
    {
        ["Mail:Host"] = "127.0.0.1",
        ["Mail:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Security"] = "none",
        ["Mail:From"] = "Frontlijn <noreply@frontlijn.test>",
        ["Mail:Username"] = MailUser,
        ["Mail:Password"] = "test-password",
        ["Api:PublicBaseUrl"] = PublicBaseUrl,
    };

    public const string MailUser = "frontlijn-mailer";

    /// <summary>Where the links in mails point; tests follow a link by its path on the test server.</summary>
    public const string PublicBaseUrl = "https://frontlijn.test";

    public static async Task<SmtpTestServer> StartAsync()
    {
        var node = Tool.Node();
        await Tool.EnsureInstalledAsync("smtp-server", "mailparser");
        var smtpPort = FreePort();
        var httpPort = FreePort();
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = Directory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "server.mjs", "--smtp-port", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--http-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.StartsWith("smtp-server ready ", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (output) output.AppendLine(e.Data);
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("The SMTP server exited."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new SmtpTestServer(process, output, smtpPort, httpPort);
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await server.MailsAsync();
        }
        catch (Exception ex)
        {
            string log;
            lock (output) log = output.ToString();
            await server.DisposeAsync();
            throw new InvalidOperationException($"The SMTP server in {Directory} did not start: {ex.Message}\n{log}", ex);
        }
        return server;
    }

    public async Task<IReadOnlyList<Mail>> MailsAsync() =>
        await _http.GetFromJsonAsync<List<Mail>>("/mails", Http.Json) ?? [];

    public async Task ClearAsync() => (await _http.DeleteAsync("/mails")).EnsureSuccessStatusCode();

    /// <summary>The mails to <paramref name="to"/> once there are <paramref name="count"/>; fails after the timeout.</summary>
    public async Task<IReadOnlyList<Mail>> WaitForAsync(string to, int count = 1, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var mails = (await MailsAsync()).Where(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase)).ToList();
            if (mails.Count >= count) return mails;
            if (DateTime.UtcNow > until) Assert.Fail($"Expected {count} mail(s) to {to} at the SMTP server; it has {mails.Count}.");
            await Task.Delay(100);
        }
    }

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
                _process.StandardInput.Close();
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

/// <summary>One SMTP server for the collection, and per database provider one app that mails to it, reset per test.</summary>
public sealed class OutsideApps : IAsyncLifetime
{
    private readonly Dictionary<string, Task<TestApp>> _apps = [];
    private readonly Lock _lock = new();

    public SmtpTestServer Smtp { get; private set; } = null!;

    public async Task InitializeAsync() => Smtp = await SmtpTestServer.StartAsync();

    public async Task<TestApp> ResetAsync(string provider)
    {
        Task<TestApp> starting;
        lock (_lock)
        {
            if (!_apps.TryGetValue(provider, out starting!))
            {
                starting = TestApp.StartAsync(provider, Smtp.AppSettings());
                _apps[provider] = starting;
            }
        }
        var app = await starting;
        await app.ResetAsync();
        await Smtp.ClearAsync();
        return app;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values)
        {
            if (app.IsCompletedSuccessfully) await app.Result.DisposeAsync();
        }
        if (Smtp is not null) await Smtp.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OutsideGroup : ICollectionFixture<OutsideApps>
{
    public const string Name = "outside";
}
