using System.Data.Common;
using System.Net.Http.Headers;
using Frontlijn.Web.Features.Demo;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Respawn;

namespace Frontlijn.IntegrationTests.Infrastructure;

/// <summary>
/// The real service on a real Kestrel port (loopback) over a real database of one provider. Tests talk to it over
/// HTTP and SignalR as the users they create; the clock is a <see cref="FakeTimeProvider"/> they may move.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string SigningKey = "integration-tests-signing-key-0123456789abcdef";

    /// <summary>Outside Development on SQLite the BSN hash key is required (BsnHasher), so the tests set one.</summary>
    public const string BsnHashKey = "integration-tests-bsn-hash-key-0123456789abcdef";

    /// <summary>DataProtection:KeyEncryptionKey of every test app (32 bytes, base64): only Development on SQLite has a built-in key.</summary>
    public static readonly string KeyEncryptionKey = Convert.ToBase64String(
        System.Security.Cryptography.SHA256.HashData("frontlijn-integration-tests-key-encryption-key"u8));

    private readonly TestDatabase _database;
    private Respawner? _respawner;

    public string Provider => _database.Provider;
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    public Uri ServerAddress { get; private set; } = null!;

    private bool _ownsDatabase;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Func<string, string>? _appConnectionString;

    /// <summary>Everything the app logged (Microsoft.Extensions.Logging, after its level filters).</summary>
    public CollectedLogs Logs { get; } = new();

    /// <summary>The test database's own connection string (direct, even when the app reaches it another way).</summary>
    public string DatabaseConnectionString => _database.ConnectionString;

    private TestApp(TestDatabase database, bool ownsDatabase, IReadOnlyDictionary<string, string>? settings,
        Func<string, string>? appConnectionString = null)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
        _settings = settings ?? new Dictionary<string, string>();
        _appConnectionString = appConnectionString;
        if (_settings.TryGetValue("Management:Port", out var management) && int.TryParse(management, out var managementPort))
        {
            // A second loopback port for the operators' pages, bound as an operator would add it to urls.
            UseKestrel(o =>
            {
                o.Listen(System.Net.IPAddress.Loopback, 0);
                o.Listen(System.Net.IPAddress.Loopback, managementPort);
            });
        }
        else
        {
            // Not UseKestrel(0): with a port, WebApplicationFactory rewrites the server's addresses after Build()
            // returns, while Program's Main goes on to RunAsync on its own thread. When Main is quick (a restart on a
            // current schema) Kestrel has started first and the rewrite throws "Addresses cannot be modified after
            // the server has started". The "urls" setting below already asks for a free loopback port.
            UseKestrel();
        }
    }

    /// <param name="appConnectionString">How the app reaches the new database, from its real connection string (e.g.
    /// through a <see cref="CuttableTcpProxy"/>); the test database itself is created and dropped directly.</param>
    public static async Task<TestApp> StartAsync(string provider, IReadOnlyDictionary<string, string>? settings = null,
        Func<string, string>? appConnectionString = null) =>
        Start(new TestApp(await TestDatabase.CreateAsync(provider), ownsDatabase: true, settings, appConnectionString));

    /// <summary>A second node of the same installation: same database, its own process-level services and port.</summary>
    public static TestApp StartNode(TestApp first, IReadOnlyDictionary<string, string>? settings = null) =>
        Start(new TestApp(first._database, ownsDatabase: false, settings ?? first._settings));

    /// <summary>
    /// A restart: this app stops (its process-level state, such as an in-memory key ring, is gone) and a new one
    /// starts on the same database with the same settings. The old instance must not be used afterwards.
    /// </summary>
    public async Task<TestApp> RestartAsync()
    {
        var owns = _ownsDatabase;
        _ownsDatabase = false;
        await DisposeAsync();
        return Start(new TestApp(_database, owns, _settings, _appConnectionString));
    }

    private static TestApp Start(TestApp app)
    {
        try
        {
            app.StartServer();
        }
        catch
        {
            // A start-up that is refused (a test of the refusal) must not leave its database behind.
            if (app._ownsDatabase) app._database.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        app.ServerAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Demo mode runs only in Development or Demo (DemoMode); "Demo" keeps Development's extras (seed, developer
        // pages) off, as "Testing" did.
        builder.UseEnvironment("Demo");
        builder.UseSetting("Database:Provider", _database.Provider);
        builder.UseSetting("ConnectionStrings:Frontlijn", _appConnectionString?.Invoke(_database.ConnectionString) ?? _database.ConnectionString);
        builder.UseSetting("Auth:Mode", "demo");
        builder.UseSetting("Auth:DemoSigningKey", SigningKey);
        builder.UseSetting("DataProtection:KeyEncryptionKey", KeyEncryptionKey);
        builder.UseSetting("Jobs:Enabled", "false");
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Security:BsnHashKey", BsnHashKey);
        // The tests' webhook receivers listen on loopback, which is refused for real receivers (SSRF).
        builder.UseSetting("Webhooks:AllowedNetworks", "127.0.0.0/8");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        });
    }

    /// <summary>Empties every table (Respawn) but the migration journal, then seeds the demo admin again.</summary>
    public async Task ResetAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        var connection = await session.ConnectionAsync();
        _respawner ??= await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = Provider switch
            {
                Providers.Sqlite => DbAdapter.Sqlite,
                Providers.Postgres => DbAdapter.Postgres,
                _ => DbAdapter.SqlServer,
            },
            // DbUp's journal is SchemaVersions on SQLite and SQL Server, schemaversions on PostgreSQL.
            // The key ring stays: the running app (and any other node) keeps using the keys it has.
            TablesToIgnore = ["schemaversions", "SchemaVersions", "data_protection_keys", "access_log_retention_guard"],
            SchemasToExclude = Provider == Providers.Sqlite ? [] : ["hangfire"],
        });
        // The access log is append-only at the database (migration 0012): emptying it between tests goes around the
        // triggers the way only a test harness may — PostgreSQL's replica mode fires no triggers for this session
        // (superuser), SQLite's guard row allows every DELETE until it is cleared again.
        await session.ExecuteAsync(Provider == Providers.Sqlite
            ? "UPDATE access_log_retention_guard SET delete_before = '9999-12-31T23:59:59.9999999+00:00'"
            : "SET session_replication_role = replica");
        try
        {
            await _respawner.ResetAsync(connection);
        }
        finally
        {
            await session.ExecuteAsync(Provider == Providers.Sqlite
                ? "UPDATE access_log_retention_guard SET delete_before = NULL"
                : "SET session_replication_role = DEFAULT");
        }
        // The users were emptied behind the service's back (and come back with new ids under the same names): no node
        // may answer from its user cache with a row of before the reset.
        await Services.GetRequiredService<UserCache>().ClearAsync();
        await Services.GetRequiredService<DemoSeeder>().EnsureAdminAsync(CancellationToken.None);
    }

    public string TokenFor(string username) =>
        DemoTokens.Issue(Services.GetRequiredService<AuthSettings>(), username, TimeProvider.System);

    /// <summary>An HTTP client over the real socket, signed in as <paramref name="username"/> (anonymous when null).</summary>
    public HttpClient ClientFor(string? username)
    {
        var client = new HttpClient { BaseAddress = ServerAddress };
        if (username is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(username));
        }
        return client;
    }

    /// <summary>A real SignalR client of the notifications hub, signed in as <paramref name="username"/>; not yet started.</summary>
    public HubConnection HubFor(string username) => new HubConnectionBuilder()
        .WithUrl(new Uri(ServerAddress, "/hubs/notifications"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(TokenFor(username)))
        .Build();

    /// <summary>Runs raw SQL against the test database (assertions on what was or was not written).</summary>
    public async Task<T> ScalarAsync<T>(string sql, object? param = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        return await session.ExecuteScalarAsync<T>(sql, param);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase) await _database.DisposeAsync();
    }
}

/// <summary>One running app per provider for the whole test run (starting one takes a second or two).</summary>
public sealed class ProviderApps : IAsyncLifetime
{
    private readonly Dictionary<string, Task<TestApp>> _apps = [];
    private readonly Lock _lock = new();

    /// <summary>The app of this provider with an empty database (only the admin user).</summary>
    public async Task<TestApp> ResetAsync(string provider)
    {
        Task<TestApp> starting;
        lock (_lock)
        {
            if (!_apps.TryGetValue(provider, out starting!))
            {
                starting = TestApp.StartAsync(provider);
                _apps[provider] = starting;
            }
        }
        var app = await starting;
        await app.ResetAsync();
        return app;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values)
        {
            if (app.IsCompletedSuccessfully) await app.Result.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class IntegrationGroup : ICollectionFixture<ProviderApps>
{
    public const string Name = "integration";
}
