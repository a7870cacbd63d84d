using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Platform;

/// <summary>
/// The database goes away under concurrent write load and comes back (issue 12, SPEC "Faults (sharpened)"). While it
/// is gone every answer is 503 with Retry-After — problem+json from the API, a Dutch page for people, 503 from
/// /health/ready — and never a 500; afterwards the same app (no restart) serves again, and every registration that was
/// acknowledged (201) is in the database, whole.
/// <para>PostgreSQL: the app reaches the real server through a <see cref="CuttableTcpProxy"/>, which the test cuts
/// (open connections reset, new ones refused) and restores. SQLite, a file that cannot vanish like a server: another
/// process holds the write lock past the app's busy timeout, so every write is refused with 503.</para>
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DatabaseOutageTests
{
    private const int RetryAfter = 7;
    private const int Writers = 6;

    private enum Kind
    {
        Write,
        Read,
        Page,
        Health,
    }

    private sealed record Outcome(Kind Kind, TimeSpan Started, TimeSpan Ended, int Status, string? ContentType, string? RetryAfter,
        string Body, Guid? Created, string? Failure);

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Outage_UnderWriteLoad_AnswersOnly503WithRetryAfter_RecoversWithoutRestart_AndLosesNothingAcknowledged(string provider)
    {
        var settings = new Dictionary<string, string> { ["Database:RetryAfterSeconds"] = RetryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        // A server (PostgreSQL, SQL Server) is reached through the proxy; the SQLite file directly.
        CuttableTcpProxy? proxy = provider switch
        {
            Providers.Postgres => new NpgsqlConnectionStringBuilder(Providers.PostgresConnectionString) is var pg
                ? new CuttableTcpProxy(pg.Host!, pg.Port) : null,
            Providers.SqlServer => SqlServerEndpoint(Providers.SqlServerConnectionString!) is var (host, port)
                ? new CuttableTcpProxy(host, port) : null,
            _ => null,
        };
        await using var proxyLifetime = proxy;
        await using var app = await TestApp.StartAsync(provider, settings, connectionString => provider switch
        {
            Providers.Postgres => new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = proxy!.Port }.ToString(),
            Providers.SqlServer => new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString)
            {
                DataSource = $"tcp:127.0.0.1,{proxy!.Port}",
            }.ToString(),
            // One second of waiting for the write lock instead of 30, so the outage shows quickly.
            _ => connectionString + ";Default Timeout=1",
        });
        var s = await Scenario.CreateAsync(app);
        var lead = app.ClientFor(s.TeamLead);
        lead.Timeout = TimeSpan.FromSeconds(60);
        var backOffice = app.ClientFor(s.BackOffice);
        backOffice.Timeout = TimeSpan.FromSeconds(60);
        var anonymous = app.ClientFor(null);

        var clock = Stopwatch.StartNew();
        var outcomes = new ConcurrentQueue<Outcome>();
        using var stop = new CancellationTokenSource();
        var houseNumbers = new int[Writers];

        async Task Loop(Kind kind, int worker, Func<Task<HttpResponseMessage>> send, TimeSpan pause)
        {
            while (!stop.IsCancellationRequested)
            {
                var started = clock.Elapsed;
                try
                {
                    using var response = await send();
                    var body = await response.Content.ReadAsStringAsync();
                    Guid? created = null;
                    if (kind == Kind.Write && response.StatusCode == HttpStatusCode.Created)
                    {
                        created = JsonNode.Parse(body)!.Id();
                    }
                    outcomes.Enqueue(new Outcome(kind, started, clock.Elapsed, (int)response.StatusCode,
                        response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.ToString(), body, created, null));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // The server must always answer: a dropped connection or a hang is a failure too.
                    outcomes.Enqueue(new Outcome(kind, started, clock.Elapsed, 0, null, null, "", null, ex.GetType().Name + ": " + ex.Message));
                }
                if (pause > TimeSpan.Zero) await Task.Delay(pause, CancellationToken.None);
            }
        }

        Task<HttpResponseMessage> Register(int worker)
        {
            // A unique open address per registration: worker letter + running house number.
            var number = ++houseNumbers[worker];
            var postalCode = $"8925 {(char)('A' + worker)}A";
            return lead.PostJson("/api/v1/households", AHousehold(s.NeighbourhoodId, postalCode, number, familyName: $"Outage{worker}"));
        }

        var load = new List<Task>();
        for (var w = 0; w < Writers; w++)
        {
            var worker = w;
            load.Add(Task.Run(() => Loop(Kind.Write, worker, () => Register(worker), TimeSpan.Zero)));
        }
        load.Add(Task.Run(() => Loop(Kind.Read, 0, () => lead.GetAsync("/api/v1/households?pageSize=5"), TimeSpan.FromMilliseconds(20))));
        load.Add(Task.Run(() => Loop(Kind.Page, 0, () => backOffice.GetAsync("/"), TimeSpan.FromMilliseconds(50))));
        load.Add(Task.Run(() => Loop(Kind.Health, 0, () => anonymous.GetAsync("/health/ready"), TimeSpan.FromMilliseconds(100))));

        // Load first: some registrations acknowledged before the database goes away.
        var warming = Stopwatch.StartNew();
        while (outcomes.Count(o => o.Kind == Kind.Write && o.Status == 201) < 5)
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(30), "no write load before the outage: " +
                string.Join(", ", outcomes.Take(5).Select(o => $"{o.Kind} {o.Status} {o.Failure}")));
            await Task.Delay(50);
        }
        var outageStarts = clock.Elapsed;
        var since = DateTimeOffset.UtcNow;
        DbConnection? lockHolder = null;
        if (proxy is not null)
        {
            proxy.Cut();
        }
        else
        {
            lockHolder = new SqliteConnection(app.DatabaseConnectionString + ";Pooling=False");
            await lockHolder.OpenAsync();
            await using var begin = lockHolder.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }
        var outageBegan = clock.Elapsed; // from here on nothing can reach the database (SQLite: nothing can write)
        await Task.Delay(TimeSpan.FromSeconds(5));
        var outageEnds = clock.Elapsed;
        if (proxy is not null)
        {
            proxy.Restore();
        }
        else
        {
            await using (var rollback = lockHolder!.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }
            await lockHolder.DisposeAsync();
        }

        // Recovery without a restart: every kind of request succeeds again, within a bounded time.
        var recoveredBy = Stopwatch.StartNew();
        Kind[] kinds = proxy is not null ? [Kind.Write, Kind.Read, Kind.Page, Kind.Health] : [Kind.Write];
        while (!kinds.All(k => outcomes.Any(o => o.Kind == k && o.Started > outageEnds && o.Status is >= 200 and < 300)))
        {
            Assert.True(recoveredBy.Elapsed < TimeSpan.FromSeconds(30),
                "No recovery within 30 s: " + string.Join(", ", kinds.Where(k => !outcomes.Any(o => o.Kind == k && o.Started > outageEnds && o.Status is >= 200 and < 300))));
            await Task.Delay(100);
        }
        var recovered = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var all = outcomes.ToArray();
        // 1. The server always answered, and only with success or 503: never 500, never anything else.
        Assert.Empty(all.Where(o => o.Failure is not null).Select(o => $"{o.Kind} at {o.Started.TotalSeconds:0.00}s: {o.Failure}"));
        Assert.Empty(all.Where(o => o.Status is not (>= 200 and < 300) and not 503)
            .Select(o => $"{o.Kind} {o.Status} at {o.Started.TotalSeconds:0.00}s: {o.Body[..Math.Min(300, o.Body.Length)]}"));

        // 2. Every 503 is the outage answer: Retry-After as configured, problem+json for machines, a Dutch page for people.
        foreach (var o in all.Where(o => o.Status == 503))
        {
            Assert.Equal(RetryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture), o.RetryAfter);
            switch (o.Kind)
            {
                case Kind.Write or Kind.Read:
                    Assert.Equal("application/problem+json", o.ContentType);
                    var problem = JsonNode.Parse(o.Body)!;
                    Assert.Equal(503, problem["status"]!.GetValue<int>());
                    Assert.Contains("niet bereikbaar", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
                    Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
                    break;
                case Kind.Page:
                    Assert.Equal("text/html", o.ContentType);
                    Assert.Contains("<html lang=\"nl\">", o.Body, StringComparison.Ordinal);
                    Assert.Contains("tijdelijk niet beschikbaar", o.Body, StringComparison.Ordinal);
                    break;
                case Kind.Health:
                    Assert.Equal("Unhealthy", o.Body);
                    break;
            }
        }

        // 3. What started once the database was gone and was answered before it came back cannot have succeeded —
        // except, on SQLite, what did not need to write (reading goes on while another process holds the write lock).
        var duringOutage = all.Where(o => o.Started > outageBegan && o.Ended < outageEnds).ToArray();
        var mustFail = proxy is not null ? duringOutage : duringOutage.Where(o => o.Kind == Kind.Write).ToArray();
        Assert.All(mustFail, o => Assert.Equal(503, o.Status));
        foreach (var kind in kinds)
        {
            Assert.True(duringOutage.Any(o => o.Kind == kind && o.Status == 503), $"no 503 for {kind} during the outage");
        }
        Assert.True(all.Any(o => o.Kind == Kind.Write && o.Started > recovered - TimeSpan.FromSeconds(0.5) && o.Status == 201), "no writes after recovery");

        // 4. Nothing acknowledged is lost, and nothing is half there: each household with both members and its access-log row.
        var acknowledged = all.Where(o => o.Created is not null).Select(o => o.Created!.Value).ToHashSet();
        await using DbConnection direct = provider switch
        {
            Providers.Postgres => new NpgsqlConnection(app.DatabaseConnectionString),
            Providers.SqlServer => new Microsoft.Data.SqlClient.SqlConnection(app.DatabaseConnectionString),
            _ => new SqliteConnection(app.DatabaseConnectionString),
        };
        await direct.OpenAsync();
        var stored = new HashSet<Guid>();
        await using (var command = direct.CreateCommand())
        {
            command.CommandText = """
                SELECT h.id,
                       (SELECT COUNT(*) FROM household_members m WHERE m.household_id = h.id),
                       (SELECT COUNT(*) FROM access_log a WHERE a.household_id = h.id AND a.action = 'create')
                FROM households h
                """;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var id = reader.GetFieldValue<Guid>(0);
                stored.Add(id);
                Assert.Equal(2L, Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture) >= 1, $"household {id} without its access-log row");
            }
        }
        Assert.Empty(acknowledged.Except(stored));
        Assert.True(acknowledged.Count >= 10, $"only {acknowledged.Count} registrations acknowledged");

        // 5. What an operator saw: no 500 and no error but the one line that says the database went away (with its
        // cause) — and the framework's line per failed readiness probe (a probe every few seconds, not per request).
        var errors = app.Logs.AtLeast(LogLevel.Error, since)
            .Where(e => e.Category != "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService").ToList();
        Assert.Empty(errors.Where(e => !e.Category.EndsWith(".DatabaseOutage", StringComparison.Ordinal))
            .Select(e => $"{e.Category}: {e.Message} {e.Exception}"));
        Assert.True(errors.Count(e => e.Category.EndsWith(".DatabaseOutage", StringComparison.Ordinal)) <= 2,
            "the outage should be logged once (again only after it had ended), not per request");
        Assert.Contains(errors, e => e.Category.EndsWith(".DatabaseOutage", StringComparison.Ordinal));
    }

    /// <summary>Host and port of a SQL Server data source such as <c>tcp:127.0.0.1,1433</c>.</summary>
    private static (string Host, int Port) SqlServerEndpoint(string connectionString)
    {
        var dataSource = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString).DataSource.Replace("tcp:", "", StringComparison.Ordinal);
        var parts = dataSource.Split(',');
        return (parts[0], parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 1433);
    }
}
