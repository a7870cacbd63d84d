using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Frontlijn.Bench;

/// <summary>
/// The load harness of issue 12: the service (its real Program, as a child process on loopback) against the raw
/// ADO.NET baseline (<see cref="RawApp"/>, also a child process) in one run, on the generated data of one size.
/// Modes: <c>compare</c> (throughput, p50, p99, errors and ratios per scenario, start-to-ready, idle memory, the
/// municipality-wide report), <c>mixed</c> (a large city's peak, open loop) and <c>soak</c> (the mixed load for
/// <c>--minutes</c>, memory sampled). Usage in docs/PERFORMANCE.md.
/// </summary>
internal sealed record LoadOptions(
    string Mode, DatabaseProvider[] Providers, int Households, string AdminConnection, int Seconds, int Concurrency,
    double Minutes, string ServiceDll, string Label, int ReadsPerSecond, int WritesPerSecond, int Connections)
{
    public string CommandLine { get; init; } = "";

    /// <summary>The stages of <c>--load compare</c>, in the order they run; <c>--scenarios</c> picks some (default all).</summary>
    public static readonly IReadOnlyList<string> AllScenarios = ["caseload", "detail", "notification", "creation", "report", "startup"];

    /// <summary><c>--scenarios caseload,detail</c>: only these stages of the compare mode, so that a run can skip one that
    /// takes long or hangs (the notification stage on PostgreSQL, issue 12).</summary>
    public IReadOnlySet<string> Scenarios { get; init; } = AllScenarios.ToHashSet(StringComparer.Ordinal);

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    /// <summary>The bare app: this harness's own build unless <c>--raw-dll</c> names another (e.g. published ReadyToRun).</summary>
    public string RawDll { get; init; } = typeof(LoadOptions).Assembly.Location;

    /// <summary>
    /// <c>--jit-summary DIR</c>: each started process writes the runtime's list of JIT-compiled methods
    /// (<c>DOTNET_JitDisasmSummary</c>, one line per compilation, tier-1 re-compilations included) to a file in DIR;
    /// the lines written by the first ready answer are counted. Writing the list costs CPU: figures of such a run are
    /// for the counts, not for CPU or time.
    /// </summary>
    public string? JitSummary { get; init; }

    /// <summary>
    /// <c>--ramp S</c> (mixed and soak; default 0): the offered rates rise linearly from zero to the full rate over
    /// the first S seconds, as behind a load balancer's slow start, instead of arriving in full the moment the node is
    /// ready. Still open loop; the run's duration includes the ramp.
    /// </summary>
    public int RampSeconds { get; init; }

    /// <summary>
    /// <c>--warmup S</c> (default 1): the untimed closed loop before every timed one, the same for the service and the
    /// raw side. A longer one lets each process finish its tiered JIT compilation before it is timed (issue 12, branch
    /// hotpath: at 1 s the service's first scenario still ran mostly unoptimised and instrumented code).
    /// </summary>
    public int WarmupSeconds { get; init; } = 1;

    /// <summary>Alternating starts of each for start-to-ready and idle memory (<c>--starts</c>; median).</summary>
    public int Starts { get; init; } = 3;

    /// <summary>
    /// <c>--database NAME</c> (PostgreSQL only): generate into this database only when it does not hold households yet,
    /// otherwise reuse it (migrations applied, statistics refreshed), and never drop it. Generating 1,000,000 households
    /// takes ~10 minutes; this lets a before and an after build be measured on the same generated data. Reused data
    /// must not have been changed around the service: the write scenarios (creation) go through the service's writers.
    /// </summary>
    public string? Database { get; init; }

    /// <summary>
    /// <c>--database-file PATH</c> (SQLite only): the same for a kept SQLite file. Generated into PATH only when PATH does
    /// not hold a complete generation yet (the marker <c>PATH.complete</c>, written once generation, summary and
    /// ANALYZE are done; a file without it is an interrupted generation and is deleted first); otherwise reused, and
    /// never deleted. 1,000,000 households take well over ten minutes to generate on this machine.
    /// </summary>
    public string? DatabaseFile { get; init; }

    public static LoadOptions Parse(string[] args, string repository)
    {
        var mode = "compare";
        DatabaseProvider[] providers = [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];
        var households = 10_000;
        var admin = Environment.GetEnvironmentVariable("FRONTLIJN_BENCH_POSTGRES") ?? "Host=127.0.0.1;Port=55500;Username=postgres;Database=postgres";
        int seconds = 10, concurrency = 16, reads = 500, writes = 50, connections = 1000, ramp = 0;
        var minutes = 30.0;
        var dll = Path.Combine(repository, "src", "Frontlijn.Web", "bin", "Release", "net10.0", "Frontlijn.Web.dll");
        var label = "";
        var scenarios = LoadOptions.AllScenarios.ToHashSet(StringComparer.Ordinal);
        var raw = typeof(LoadOptions).Assembly.Location;
        var starts = 3;
        string? database = null;
        string? databaseFile = null;
        string? jitSummary = null;
        var warmup = 1;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next().Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--load": mode = Next(); break;
                case "--provider":
                    providers = Next().Split(',').Select(p => p.Trim() switch
                    {
                        "sqlite" => DatabaseProvider.Sqlite,
                        "postgres" or "postgresql" => DatabaseProvider.Postgres,
                        var x => throw new ArgumentException($"Unknown provider {x}."),
                    }).ToArray();
                    break;
                case "--households": households = NextInt(); break;
                case "--connection": admin = Next(); break;
                case "--seconds": seconds = NextInt(); break;
                case "--ramp": ramp = NextInt(); break;
                case "--concurrency": concurrency = NextInt(); break;
                case "--minutes": minutes = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                // A path not ending in .dll is an executable (an apphost, e.g. a self-contained publish): started itself.
                case "--service-dll" or "--service-exe": dll = Path.GetFullPath(Next()); break;
                case "--raw-dll" or "--raw-exe": raw = Path.GetFullPath(Next()); break;
                case "--jit-summary": jitSummary = Path.GetFullPath(Next()); break;
                case "--starts": starts = NextInt(); break;
                case "--warmup": warmup = Math.Max(1, NextInt()); break;
                case "--database":
                    database = Next();
                    if (!System.Text.RegularExpressions.Regex.IsMatch(database, "^[a-z_][a-z0-9_]{0,62}$"))
                        throw new ArgumentException("--database is a lower-case PostgreSQL identifier.");
                    break;
                case "--database-file": databaseFile = Path.GetFullPath(Next()); break;
                case "--label": label = Next(); break;
                case "--reads": reads = NextInt(); break;
                case "--writes": writes = NextInt(); break;
                case "--connections": connections = NextInt(); break;
                case "--scenarios":
                    scenarios = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(x => AllScenarios.Contains(x) ? x
                            : throw new ArgumentException($"Unknown scenario {x}; use {string.Join(',', AllScenarios)}."))
                        .ToHashSet(StringComparer.Ordinal);
                    break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        if (mode is not ("compare" or "mixed" or "soak" or "startup")) throw new ArgumentException("--load is compare, mixed, soak or startup.");
        return new LoadOptions(mode, providers, households, admin, seconds, concurrency, minutes, dll, label, reads, writes, connections)
        {
            Scenarios = scenarios,
            RawDll = raw,
            Starts = Math.Max(1, starts),
            Database = database,
            DatabaseFile = databaseFile,
            JitSummary = jitSummary,
            RampSeconds = Math.Max(0, ramp),
            WarmupSeconds = warmup,
            CommandLine = "dotnet run -c Release --project bench/Frontlijn.Bench -- " + string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)),
        };
    }
}

internal sealed record Stats(string Name, int Count, int Errors, double Seconds, double P50, double P99)
{
    /// <summary>CPU time (user + system) of the measured server process per answered request, ms; NaN when not measured.</summary>
    public double CpuMsPerRequest { get; init; } = double.NaN;

    /// <summary>The closed loop's three slowest seconds (UTC, p99 ms, answers); empty where not measured.</summary>
    public string Slowest { get; init; } = "";

    public double PerSecond => Count / Seconds;

    public static Stats From(string name, IReadOnlyCollection<double> latencies, int errors, double seconds)
    {
        var sorted = latencies.Order().ToArray();
        double Pct(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new Stats(name, sorted.Length, errors, seconds, Pct(0.50), Pct(0.99));
    }
}

internal static class Load
{
    /// <summary><see cref="LoadOptions.WarmupSeconds"/> of the run (set once, before any loop).</summary>
    private static int WarmupSeconds = 1;

    private const string SigningKey = "frontlijn-bench-demo-signing-key-0123456789abcdef";
    private static readonly string KeyEncryptionKey = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("frontlijn-bench"u8));
    private const string BsnHashKey = "frontlijn-bench-bsn-hash-key-0123456789abcdef";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var repository = Options.RepositoryRoot();
        var options = LoadOptions.Parse(args, repository);
        WarmupSeconds = options.WarmupSeconds;
        if (!File.Exists(options.ServiceDll)) throw new FileNotFoundException($"Build the service first (dotnet build -c Release): {options.ServiceDll}");
        if (!File.Exists(options.RawDll)) throw new FileNotFoundException($"No bare app at {options.RawDll}");
        DapperTypeHandlers.Register();
        var report = new StringBuilder();
        report.AppendLine(Inv, $"### Load harness — {options.Mode}, {options.Households:N0} households{(options.Label.Length > 0 ? ", " + options.Label : "")}");
        report.AppendLine();
        report.AppendLine(Inv, $"`{options.CommandLine}` — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()} at the start.");
        report.AppendLine();
        foreach (var provider in options.Providers)
        {
            report.Append(await RunProviderAsync(options, provider));
        }
        Console.WriteLine(report);
        var results = Path.Combine(repository, "bench", "results");
        Directory.CreateDirectory(results);
        var file = Path.Combine(results, $"load-{options.Mode}-{options.Households.ToString(Inv)}{(options.Label.Length > 0 ? "-" + options.Label : "")}-{DateTime.UtcNow:yyyy-MM-dd-HHmm}.md");
        await File.WriteAllTextAsync(file, report.ToString());
        Console.Error.WriteLine($"Written to {Path.GetRelativePath(repository, file)}");
        return 0;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private sealed record World(
        string ConnectionString, List<(Guid CoachId, string Username, List<Guid> Households)> Coaches,
        List<(Guid OrganisationId, string ServiceCode, List<string> BackOffice)> Organisations, Guid FirstTeam)
    {
        /// <summary>Each coach's team: the raw request creation locks a household with the service's team condition.</summary>
        public Dictionary<Guid, Guid> Teams { get; init; } = [];
    }

    private static async Task<string> RunProviderAsync(LoadOptions options, DatabaseProvider provider)
    {
        var name = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";
        var s = new StringBuilder();
        s.AppendLine(Inv, $"#### {name}");
        s.AppendLine();
        Console.Error.WriteLine($"== {name}: generating {options.Households:N0} households");
        var database = $"frontlijn_load_{options.Households.ToString(Inv)}_{Environment.ProcessId.ToString(Inv)}";
        var directory = Path.Combine(Path.GetTempPath(), database);
        string connectionString;
        var kept = provider == DatabaseProvider.Postgres ? options.Database is not null : options.DatabaseFile is not null;
        var reuse = false;
        if (provider == DatabaseProvider.Sqlite && kept)
        {
            var file = options.DatabaseFile!;
            directory = Path.GetDirectoryName(file)!;
            Directory.CreateDirectory(directory);
            reuse = File.Exists(file + ".complete");
            if (!reuse)
            {
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
            }
            connectionString = $"Data Source={file}";
            database = file;
        }
        else if (provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(directory);
            connectionString = $"Data Source={Path.Combine(directory, "frontlijn.db")}";
        }
        else if (kept)
        {
            database = options.Database!;
            reuse = await HasHouseholdsAsync(options.AdminConnection, database);
            if (!reuse)
            {
                await AdminAsync(options.AdminConnection, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                await AdminAsync(options.AdminConnection, $"CREATE DATABASE {database}");
            }
            connectionString = new NpgsqlConnectionStringBuilder(options.AdminConnection) { Database = database }.ToString();
        }
        else
        {
            await AdminAsync(options.AdminConnection, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await AdminAsync(options.AdminConnection, $"CREATE DATABASE {database}");
            connectionString = new NpgsqlConnectionStringBuilder(options.AdminConnection) { Database = database }.ToString();
        }
        try
        {
            var load = Stopwatch.StartNew();
            if (reuse) Console.Error.WriteLine($"   reusing database {database} (kept by an earlier --database run)");
            var world = await PrepareAsync(provider, connectionString, options.Households, generate: !reuse);
            if (provider == DatabaseProvider.Sqlite && kept && !reuse) await File.WriteAllTextAsync(database + ".complete", $"{options.Households.ToString(Inv)} households, generated {DateTime.UtcNow:O}\n");
            if (reuse) s.AppendLine(Inv, $"Data: database `{database}` generated by an earlier run and reused (migrations applied on top, statistics refreshed).").AppendLine();
            Console.Error.WriteLine($"   generated and loaded in {load.Elapsed.TotalSeconds:F1} s");
            if (options.Mode == "compare")
            {
                s.Append(await CompareAsync(options, provider, world));
            }
            else if (options.Mode == "startup")
            {
                s.Append(await StartupAsync(options, provider, world));
            }
            else
            {
                s.Append(await MixedAsync(options, provider, world));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            SqliteConnection.ClearAllPools();
            if (kept) Console.Error.WriteLine($"   kept database {database}");
            else if (provider == DatabaseProvider.Sqlite) Directory.Delete(directory, recursive: true);
            else await AdminAsync(options.AdminConnection, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
        return s.ToString();
    }

    private static async Task AdminAsync(string connection, string sql)
    {
        await using var admin = new NpgsqlConnection(connection);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<bool> HasHouseholdsAsync(string adminConnection, string database)
    {
        await using (var admin = new NpgsqlConnection(adminConnection))
        {
            await admin.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @name", admin);
            exists.Parameters.AddWithValue("name", database);
            if ((long)(await exists.ExecuteScalarAsync())! == 0) return false;
        }
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnection) { Database = database }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT CASE WHEN to_regclass('households') IS NULL THEN 0 ELSE 1 END", connection);
        if ((int)(await command.ExecuteScalarAsync())! == 0) return false;
        await using var count = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM households)", connection);
        return (bool)(await count.ExecuteScalarAsync())!;
    }

    private static async Task<World> PrepareAsync(DatabaseProvider provider, string connectionString, int size, bool generate = true)
    {
        var settings = new DatabaseSettings(provider, connectionString);
        var dialect = SqlDialect.For(provider);
        new Migrator(settings, NullLogger<Migrator>.Instance).Migrate();
        Guid? firstTeam = null;
        if (generate)
        {
            var generator = new Generator(size);
            await global::Bench.GenerateAsync(generator, dialect, connectionString);
            await global::Bench.BuildSummaryAsync(dialect, connectionString);
            firstTeam = generator.Teams[0];
        }
        await using var db = new DbSession(settings, dialect);
        // The generator names its first team "Team 1" (a reused database has no generator to ask).
        firstTeam ??= await db.ExecuteScalarAsync<Guid>("SELECT id FROM teams WHERE name = 'Team 1'");
        // Without the session's 30-second command timeout: at 1,000,000 households VACUUM takes minutes.
        await using (var connection = dialect.CreateConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var vacuum = connection.CreateCommand();
            // A reused database is only analysed again (seconds, not the minutes VACUUM takes at 1,000,000 households):
            // earlier runs mostly appended access-log rows; whatever else they changed is autovacuum's, as in a deployment.
            // SQLite has no sampling by default: a full ANALYZE reads every index of the file (a quarter of an hour
            // for the 9.7 GB file at 1,000,000 households), so a reused file is analysed with SQLite's own bound
            // (analysis_limit, as PRAGMA optimize recommends for large databases); a generated one in full. Both sides
            // of a run read the same statistics.
            vacuum.CommandText = provider == DatabaseProvider.Postgres ? (generate ? "VACUUM (ANALYZE)" : "ANALYZE")
                : generate ? "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;" : "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA analysis_limit = 1000; ANALYZE;";
            vacuum.CommandTimeout = 3600;
            await vacuum.ExecuteNonQueryAsync();
        }
        // Coaches with open, not closed households (a request needs one), at most 300 of them.
        var rows = await db.QueryAsync<(Guid CoachId, string Username, Guid HouseholdId, Guid TeamId)>("""
            SELECT u.id, u.username, a.household_id, u.team_id
            FROM coach_assignments a JOIN users u ON u.id = a.coach_id JOIN households h ON h.id = a.household_id
            WHERE a.to_at IS NULL AND h.status IN ('registered', 'active')
            ORDER BY u.username, a.household_id
            """);
        var coaches = rows.GroupBy(r => (r.CoachId, r.Username))
            .Select(g => (g.Key.CoachId, g.Key.Username, g.Select(r => r.HouseholdId).ToList())).Take(300).ToList();
        var orgs = await db.QueryAsync<(Guid OrganisationId, string Code, string Username)>("""
            SELECT o.id, MIN(s.code), u.username
            FROM organisations o JOIN organisation_services s ON s.organisation_id = o.id JOIN users u ON u.organisation_id = o.id
            GROUP BY o.id, u.username
            ORDER BY o.id, u.username
            """);
        var organisations = orgs.GroupBy(o => (o.OrganisationId, o.Code))
            .Select(g => (g.Key.OrganisationId, g.Key.Code, g.Select(o => o.Username).ToList())).ToList();
        var teams = rows.GroupBy(r => r.CoachId).ToDictionary(g => g.Key, g => g.First().TeamId);
        return new World(connectionString, coaches, organisations, firstTeam.Value) { Teams = teams };
    }

    // ---- processes -------------------------------------------------------------------------------------------------

    private sealed class Child(Process process, Uri address, double readyMs) : IAsyncDisposable
    {
        public Uri Address => address;
        public double ReadyMs => readyMs;
        public int Pid => process.Id;

        /// <summary>CPU (user + system) the process had used when its first 200 from /health/ready arrived: unlike the
        /// wall time, it does not depend on how long the process waited for a core on a loaded machine.</summary>
        public double ReadyCpuMs { get; init; } = double.NaN;

        /// <summary>Methods JIT-compiled by the first ready answer (<c>--jit-summary</c> only; NaN otherwise).</summary>
        public double ReadyJitted { get; init; } = double.NaN;

        /// <summary>User + system CPU time of the process so far (/proc/pid/stat fields 14 and 15, in clock ticks of 10 ms).</summary>
        public double CpuMs() => CpuMs(process.Id);

        public static double CpuMs(int pid)
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(Inv)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], Inv) + long.Parse(fields[12], Inv)) * 10.0;
        }

        /// <summary>/proc/pid/smaps_rollup in MB: Rss, Anonymous (heap, JIT code, runtime data), file-backed (Rss − Anonymous: mapped DLLs and native libraries, shared with other processes), Private (clean + dirty).</summary>
        public (double Rss, double Anonymous, double File, double Private) Smaps()
        {
            double Field(string[] lines, string name) =>
                lines.Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                    .Select(l => double.Parse(l[(name.Length + 1)..].Trim().Split(' ')[0], Inv) / 1024).Sum();
            var lines = File.ReadAllLines($"/proc/{process.Id.ToString(Inv)}/smaps_rollup");
            var rss = Field(lines, "Rss");
            var anonymous = Field(lines, "Anonymous");
            return (rss, anonymous, rss - anonymous, Field(lines, "Private_Clean") + Field(lines, "Private_Dirty"));
        }

        public double RssMb()
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id.ToString(Inv)}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return double.Parse(line[6..].Trim().Split(' ')[0], Inv) / 1024;
                }
            }
            return double.NaN;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
    }

    private static double CountLines(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var n = 0;
        while (reader.ReadLine() is not null) n++;
        return n;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the service (its real Program) or the raw app and waits for /health/ready; the time is start-to-ready.</summary>
    private static async Task<Child> StartAsync(LoadOptions options, DatabaseProvider provider, string connectionString, bool service)
    {
        var port = FreePort();
        var path = service ? options.ServiceDll : options.RawDll;
        // A .dll goes through the dotnet host (framework-dependent); anything else is an executable started itself
        // (the apphost of a self-contained or framework-dependent publish), so both deployment forms can be compared.
        var isDll = path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(isDll ? "dotnet" : path)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        if (isDll) info.ArgumentList.Add(path);
        if (!service) info.ArgumentList.Add("serve-raw");
        var env = info.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Demo";
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(Inv)}";
        env["Database__Provider"] = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";
        env["ConnectionStrings__Frontlijn"] = connectionString;
        env["Auth__Mode"] = "demo";
        env["Auth__DemoSigningKey"] = SigningKey;
        env["DataProtection__KeyEncryptionKey"] = KeyEncryptionKey;
        env["Security__BsnHashKey"] = BsnHashKey;
        env["Jobs__Enabled"] = "false";
        env["Demo__Seed"] = "false";
        env["Logging__LogLevel__Default"] = "Warning";
        env["DOTNET_gcServer"] = "0";
        string? jitFile = null;
        if (options.JitSummary is not null)
        {
            Directory.CreateDirectory(options.JitSummary);
            jitFile = Path.Combine(options.JitSummary, $"{(service ? "service" : "bare")}-{port.ToString(Inv)}.txt");
            env["DOTNET_JitStdOutFile"] = jitFile;
            env["DOTNET_JitDisasmSummary"] = "1";
        }
        var started = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port.ToString(Inv)}");
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        while (started.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.HasExited) throw new InvalidOperationException($"{(service ? "service" : "raw app")} exited: {errors}");
            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    var elapsed = started.Elapsed.TotalMilliseconds;
                    var cpu = Child.CpuMs(process.Id);
                    // The JIT writes its list buffered: the count misses at most one buffer's worth (~50 methods).
                    var jitted = jitFile is not null && File.Exists(jitFile) ? CountLines(jitFile) : double.NaN;
                    return new Child(process, address, elapsed) { ReadyCpuMs = cpu, ReadyJitted = jitted };
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(10);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"not ready in 120 s: {errors}");
    }

    private static string Token(string username)
    {
        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken(AuthSettings.DemoIssuer, AuthSettings.DemoAudience, [new Claim("sub", username)],
            now.AddMinutes(-1), now.AddHours(12),
            new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    private static HttpClient Client(Uri address, string? username)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
        {
            BaseAddress = address, Timeout = TimeSpan.FromSeconds(30),
        };
        if (username is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(username));
        return client;
    }

    // ---- closed loop -----------------------------------------------------------------------------------------------

    /// <summary><paramref name="concurrency"/> workers, each sending its next request when the last one is answered.</summary>
    private static async Task<Stats> ClosedLoopAsync(string name, int concurrency, TimeSpan duration, Func<Random, Task<bool>> send,
        Child? server = null)
    {
        // Warm-up (JIT, pools, plans): --warmup seconds (default 1), not measured, the same for both sides.
        await RunLoop(concurrency, TimeSpan.FromSeconds(WarmupSeconds), send, new ConcurrentBag<(DateTime, double)>(), new StrongBox());
        var answers = new ConcurrentBag<(DateTime At, double Ms)>();
        var errors = new StrongBox();
        var clock = Stopwatch.StartNew();
        var cpu0 = server?.CpuMs() ?? 0;
        await RunLoop(concurrency, duration, send, answers, errors);
        var stats = Stats.From(name, answers.Select(a => a.Ms).ToList(), errors.Value, clock.Elapsed.TotalSeconds);
        if (server is not null) stats = stats with { CpuMsPerRequest = (server.CpuMs() - cpu0) / Math.Max(1, stats.Count) };
        stats = stats with { Slowest = SlowestSeconds(answers) };
        Console.Error.WriteLine($"   {name}: {stats.PerSecond:F0}/s p50 {stats.P50:F2} ms p99 {stats.P99:F2} ms errors {stats.Errors} cpu {stats.CpuMsPerRequest:F2} ms/req");
        Console.Error.WriteLine($"   {name}: slowest seconds (UTC, p99 ms, answers): {stats.Slowest}");
        return stats;
    }

    /// <summary>
    /// The three seconds with the highest p99, with their wall-clock time: a tail that sits in a few seconds is a stall
    /// (to be matched with the database's log, e.g. PostgreSQL's checkpoints), one spread over all seconds is not.
    /// </summary>
    private static string SlowestSeconds(IEnumerable<(DateTime At, double Ms)> answers) => string.Join("; ", answers
        .GroupBy(a => new DateTime(a.At.Ticks - a.At.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc))
        .Select(g => (Second: g.Key, Stats: Stats.From("", g.Select(a => a.Ms).ToList(), 0, 1)))
        .OrderByDescending(s => s.Stats.P99).Take(3)
        .Select(s => string.Create(Inv, $"{s.Second:HH:mm:ss} {s.Stats.P99:F0} ({s.Stats.Count})")));

    /// <summary>
    /// One untimed pass over every address (each sampled coach's caseload, or each of their households) through the
    /// bare app: it reads the same rows with the same SQL, so the database's cache (PostgreSQL's buffers, the OS page
    /// cache under both databases) holds them before the service or the baseline is measured. It writes the same
    /// access-log rows a page view writes; the JIT warm-up of each side stays the closed loop's own second.
    /// </summary>
    private static async Task WarmAsync(string name, int concurrency, List<Uri> addresses, HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < addresses.Count; i = Interlocked.Increment(ref next))
            {
                using var response = await client.GetAsync(addresses[i]);
                response.EnsureSuccessStatusCode();
            }
        })));
        Console.Error.WriteLine($"   {name}: cache warmed by {addresses.Count} raw requests in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private sealed class StrongBox
    {
        private int _value;
        public int Value => _value;
        public void Increment() => Interlocked.Increment(ref _value);
    }

    private static Task RunLoop(int concurrency, TimeSpan duration, Func<Random, Task<bool>> send, ConcurrentBag<(DateTime At, double Ms)> answers,
        StrongBox errors)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var rng = new Random(w * 7919 + 1);
            while (Stopwatch.GetTimestamp() < end)
            {
                var t0 = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await send(rng);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }
                catch (TaskCanceledException)
                {
                    ok = false;
                }
                if (ok) answers.Add((DateTime.UtcNow, Stopwatch.GetElapsedTime(t0).TotalMilliseconds));
                else errors.Increment();
            }
        })));
    }

    /// <summary>What the errors were: HTTP status or exception type, counted over the whole run.</summary>
    private static readonly ConcurrentDictionary<string, int> ErrorKinds = new(StringComparer.Ordinal);

    private static void CountError(string kind) => ErrorKinds.AddOrUpdate(kind, 1, (_, n) => n + 1);

    private static string ErrorSummary() => ErrorKinds.IsEmpty
        ? "none"
        : string.Join(", ", ErrorKinds.OrderByDescending(e => e.Value).Select(e => $"{e.Key} × {e.Value.ToString(Inv)}"));

    private static async Task<bool> OkAsync(Task<HttpResponseMessage> call)
    {
        HttpResponseMessage response;
        try
        {
            response = await call;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            CountError(ex is TaskCanceledException ? "timeout (30 s)" : "connection: " + ex.Message);
            throw;
        }
        using (response)
        {
            await response.Content.CopyToAsync(Stream.Null);
            if (!response.IsSuccessStatusCode) CountError($"HTTP {((int)response.StatusCode).ToString(Inv)}");
            return response.IsSuccessStatusCode;
        }
    }

    // ---- compare ---------------------------------------------------------------------------------------------------

    private static async Task<string> CompareAsync(LoadOptions options, DatabaseProvider provider, World world)
    {
        var s = new StringBuilder();
        if (options.Scenarios.Count == 1 && options.Runs("report"))
        {
            // The report is measured in-process (the handler's SQL through DbSession): no service or bare app to start,
            // which at 1,000,000 households on a loaded machine did not get ready within the start limit.
            Console.Error.WriteLine("   municipality-wide report (no service started)");
            var (count, municipality, team) = await ReportAsync(provider, world);
            var reference = await Reference.CompareAsync(new DatabaseSettings(provider, world.ConnectionString), SqlDialect.For(provider));
            s.AppendLine(Inv, $"Municipality-wide providers report (distribution + first page, in-process through DbSession; median of 5 after a warm-up): **{municipality:F1} ms = {municipality / count:F2}× COUNT(*)** over involvements ({count:F1} ms); one team {team:F1} ms. The municipality distribution by the pre-summary statement (once, same data): {reference:F0} ms; its figures for four periods equal the report's (else the run fails). Load average at the end: {LoadAverage()}.");
            s.AppendLine();
            return s.ToString();
        }
        var duration = TimeSpan.FromSeconds(options.Seconds);
        // Start-to-ready and idle memory: three starts each, alternating, median; the last ones stay up for the load.
        var serviceStarts = new List<(double Ms, double Mb)>();
        var rawStarts = new List<(double Ms, double Mb)>();
        for (var k = 0; k < (options.Runs("startup") ? 3 : 0); k++)
        {
            foreach (var service in new[] { false, true })
            {
                await using var child = await StartAsync(options, provider, world.ConnectionString, service);
                await Task.Delay(3000); // idle: what the process holds once started and ready, before any load
                (service ? serviceStarts : rawStarts).Add((child.ReadyMs, child.RssMb()));
            }
        }
        await using var raw = await StartAsync(options, provider, world.ConnectionString, service: false);
        await using var app = await StartAsync(options, provider, world.ConnectionString, service: true);
        var coaches = world.Coaches;
        var clients = coaches.ToDictionary(c => c.CoachId, c => Client(app.Address, c.Username));
        using var rawClient = Client(raw.Address, null);

        var none = new Stats("", 0, 0, 1, double.NaN, double.NaN);
        var (caseload, rawCaseload, detail, rawDetail) = (none with { Name = "caseload" }, none, none with { Name = "household detail" }, none);
        if (options.Runs("caseload"))
        {
            Console.Error.WriteLine("   caseload");
            // The database's cache warmed for both sides alike before either is timed: at 1,000,000 households the
            // pages of the sampled coaches' households are not in memory after generation or ANALYZE, and the side
            // measured first paid for reading them while the other found them cached (scale1m: the service ran first).
            await WarmAsync("caseload", options.Concurrency, coaches.Select(c =>
                new Uri($"/raw/caseload?coachId={c.CoachId}", UriKind.Relative)).ToList(), rawClient);
            caseload = await ClosedLoopAsync("caseload: service", options.Concurrency, duration, rng =>
            {
                var c = coaches[rng.Next(coaches.Count)];
                return OkAsync(clients[c.CoachId].GetAsync(new Uri("/api/v1/caseload", UriKind.Relative)));
            }, app);
            rawCaseload = await ClosedLoopAsync("caseload: raw", options.Concurrency, duration, rng =>
            {
                var c = coaches[rng.Next(coaches.Count)];
                return OkAsync(rawClient.GetAsync(new Uri($"/raw/caseload?coachId={c.CoachId}", UriKind.Relative)));
            }, raw);
        }
        if (options.Runs("detail"))
        {
            Console.Error.WriteLine("   household detail");
            await WarmAsync("household detail", options.Concurrency, coaches.SelectMany(c => c.Households.Select(h =>
                new Uri($"/raw/households/{h}?actorId={c.CoachId}", UriKind.Relative))).ToList(), rawClient);
            detail = await ClosedLoopAsync("household detail: service", options.Concurrency, duration, rng =>
            {
                var c = coaches[rng.Next(coaches.Count)];
                var h = c.Households[rng.Next(c.Households.Count)];
                return OkAsync(clients[c.CoachId].GetAsync(new Uri($"/api/v1/households/{h}", UriKind.Relative)));
            }, app);
            rawDetail = await ClosedLoopAsync("household detail: raw", options.Concurrency, duration, rng =>
            {
                var c = coaches[rng.Next(coaches.Count)];
                var h = c.Households[rng.Next(c.Households.Count)];
                return OkAsync(rawClient.GetAsync(new Uri($"/raw/households/{h}?actorId={c.CoachId}", UriKind.Relative)));
            }, raw);
        }
        var (notify, rawNotify, rawStatementsNotify, creation, rawCreation) = (none, none, none, none, none);
        if (options.Runs("notification"))
        {
            Console.Error.WriteLine("   request creation → SignalR");
            (notify, rawNotify, rawStatementsNotify) = await NotificationLatencyAsync(world, app, raw, clients, samples: 200);
        }
        if (options.Runs("creation"))
        {
            creation = await ClosedLoopAsync("request creation: service", options.Concurrency, duration, rng =>
            {
                var c = coaches[rng.Next(coaches.Count)];
                var org = world.Organisations[rng.Next(world.Organisations.Count)];
                return OkAsync(clients[c.CoachId].PostAsJsonAsync(new Uri("/api/v1/requests", UriKind.Relative), RequestBody(c, org, rng)));
            }, app);
            // The same statements over plain ADO.NET in the bare app: the rate this hardware allows for them.
            rawCreation = await ClosedLoopAsync("request creation: raw", options.Concurrency, duration, rng =>
            {
                var c = coaches[rng.Next(coaches.Count)];
                var org = world.Organisations[rng.Next(world.Organisations.Count)];
                return OkAsync(rawClient.PostAsync(RawRequestUri(world, c, org, rng, marker: null), null));
            }, raw);
        }
        var serviceLoadedMb = app.RssMb();

        // Part of start-to-ready: the migration check on an up-to-date database (DbUp reads its journal, compares).
        var migrate = Stopwatch.StartNew();
        new Migrator(new DatabaseSettings(provider, world.ConnectionString), NullLogger<Migrator>.Instance).Migrate();
        var migrateMs = migrate.Elapsed.TotalMilliseconds;
        var (countMs, reportMs, teamMs) = (double.NaN, double.NaN, double.NaN);
        var referenceMs = double.NaN;
        if (options.Runs("report"))
        {
            Console.Error.WriteLine("   municipality-wide report");
            (countMs, reportMs, teamMs) = await ReportAsync(provider, world);
            // The pre-summary statement on the same data: its time, and the figures of four periods, which must be equal.
            referenceMs = await Reference.CompareAsync(new DatabaseSettings(provider, world.ConnectionString), SqlDialect.For(provider));
        }

        foreach (var client in clients.Values) client.Dispose();

        static string F(double v) => double.IsNaN(v) ? "–" : v.ToString(v < 10 ? "F2" : v < 100 ? "F1" : "F0", Inv);
        static string X(double v) => double.IsNaN(v) ? "–" : v.ToString("F2", Inv) + "×";
        static double Median(IEnumerable<double> v)
        {
            var a = v.Order().ToArray();
            return a.Length == 0 ? double.NaN : a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
        }
        s.AppendLine(Inv, $"Scenarios: {string.Join(", ", LoadOptions.AllScenarios.Where(options.Runs))} (the others: – ). Load average after them: {LoadAverage()}.");
        s.AppendLine();
        s.AppendLine(Inv, $"{options.Concurrency} concurrent connections, {options.Seconds} s per scenario after {options.WarmupSeconds} s warm-up; ratio = service ÷ raw (throughput) or service ÷ raw (latency).");
        s.AppendLine();
        s.AppendLine("| scenario | service req/s | raw req/s | throughput ratio | service p50 ms | service p99 ms | raw p50 ms | raw p99 ms | p99 ÷ p50 (service) | errors service / raw | CPU ms per request service / raw |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (a, b) in new[] { (caseload, rawCaseload), (detail, rawDetail) })
        {
            s.AppendLine(Inv, $"| {a.Name.Split(':')[0]} | {a.PerSecond:F0} | {b.PerSecond:F0} | **{X(a.PerSecond / b.PerSecond)}** | {F(a.P50)} | {F(a.P99)} | {F(b.P50)} | {F(b.P99)} | {X(a.P99 / a.P50)} | {a.Errors} / {b.Errors} | {F(a.CpuMsPerRequest)} / {F(b.CpuMsPerRequest)} |");
        }
        s.AppendLine();
        foreach (var stage in new[] { caseload, rawCaseload, detail, rawDetail }.Where(x => x.Slowest.Length > 0))
        {
            s.AppendLine(Inv, $"- slowest seconds of {stage.Name} (UTC, p99 ms, answers): {stage.Slowest}");
        }
        s.AppendLine();
        s.AppendLine("| notification (one coach request → first back-office SignalR client; raw: POST → bare hub broadcast) | p50 ms | p99 ms | errors |");
        s.AppendLine("|---|---:|---:|---:|");
        s.AppendLine(Inv, $"| service | {F(notify.P50)} | {F(notify.P99)} | {notify.Errors} |");
        s.AppendLine(Inv, $"| bare hub broadcast | {F(rawNotify.P50)} | {F(rawNotify.P99)} | {rawNotify.Errors} |");
        s.AppendLine(Inv, $"| raw: the service's statements in one transaction + broadcast | {F(rawStatementsNotify.P50)} | {F(rawStatementsNotify.P99)} | {rawStatementsNotify.Errors} |");
        s.AppendLine(Inv, $"| ratio p50, service ÷ bare hub broadcast (the issue's unit) | **{X(notify.P50 / rawNotify.P50)}** | | |");
        s.AppendLine(Inv, $"| ratio p50, service ÷ raw statements + broadcast | **{X(notify.P50 / rawStatementsNotify.P50)}** | | |");
        s.AppendLine();
        s.AppendLine(Inv, $"Request creation (POST /api/v1/requests, {options.Concurrency} concurrent coaches, legal basis, random organisation): **{creation.PerSecond:F0}/s**, p50 {F(creation.P50)} ms, p99 {F(creation.P99)} ms, errors {creation.Errors}, service CPU {F(creation.CpuMsPerRequest)} ms per request.");
        s.AppendLine(Inv, $"Raw request creation (the same statements over ADO.NET in one transaction, same concurrency): **{rawCreation.PerSecond:F0}/s**, p50 {F(rawCreation.P50)} ms, p99 {F(rawCreation.P99)} ms, errors {rawCreation.Errors}, raw CPU {F(rawCreation.CpuMsPerRequest)} ms per request; service ÷ raw throughput **{X(creation.PerSecond / rawCreation.PerSecond)}**, CPU per request service ÷ raw {X(creation.CpuMsPerRequest / rawCreation.CpuMsPerRequest)}.");
        s.AppendLine();
        s.AppendLine(Inv, $"Municipality-wide providers report (distribution + first page, in-process through DbSession; median of 5 after a warm-up): **{F(reportMs)} ms = {X(reportMs / countMs)} COUNT(*)** over involvements ({F(countMs)} ms); one team {F(teamMs)} ms. The municipality distribution by the pre-summary statement (once, same data): {F(referenceMs)} ms; its figures for four periods equal the report's (else the run fails).");
        s.AppendLine();
        var (sMs, sMb) = (Median(serviceStarts.Select(x => x.Ms)), Median(serviceStarts.Select(x => x.Mb)));
        var (rMs, rMb) = (Median(rawStarts.Select(x => x.Ms)), Median(rawStarts.Select(x => x.Mb)));
        s.AppendLine("| process | start-to-ready ms (median of 3) | idle RSS MB (3 s after ready) |");
        s.AppendLine("|---|---:|---:|");
        s.AppendLine(Inv, $"| service | {F(sMs)} | {F(sMb)} |");
        s.AppendLine(Inv, $"| bare app (raw baseline) | {F(rMs)} | {F(rMb)} |");
        s.AppendLine(Inv, $"| ratio | **{X(sMs / rMs)}** | **{X(sMb / rMb)}** |");
        s.AppendLine();
        s.AppendLine(Inv, $"Errors by kind (whole run): {ErrorSummary()}.");
        s.AppendLine();
        s.AppendLine(Inv, $"Service RSS after the load: {F(serviceLoadedMb)} MB. The migration check on the up-to-date database alone (in the harness's process, warm): {F(migrateMs)} ms.");
        s.AppendLine();
        return s.ToString();
    }

    /// <summary>
    /// Start-to-ready and idle memory only (<c>--load startup</c>): <c>--starts</c> alternating starts of the bare app
    /// and the service on the same database, medians, and where the idle memory is (smaps_rollup).
    /// </summary>
    private static async Task<string> StartupAsync(LoadOptions options, DatabaseProvider provider, World world)
    {
        var s = new StringBuilder();
        var service = new List<(double Ms, double Cpu, double Mb, (double Rss, double Anonymous, double File, double Private) Smaps, double FirstMs, double Jitted)>();
        var raw = new List<(double Ms, double Cpu, double Mb, (double Rss, double Anonymous, double File, double Private) Smaps, double FirstMs, double Jitted)>();
        var coach = world.Coaches[0];
        for (var k = 0; k < options.Starts; k++)
        {
            foreach (var isService in new[] { false, true })
            {
                await using var child = await StartAsync(options, provider, world.ConnectionString, isService);
                // Start to the first caseload answered, sent the moment ready was seen: what a node deferring work
                // behind its first ready answer (the service builds its route table there) still owes its first user.
                var sent = Stopwatch.GetTimestamp();
                using (var client = Client(child.Address, isService ? coach.Username : null))
                using (var first = await client.GetAsync(new Uri(isService ? "/api/v1/caseload" : $"/raw/caseload?coachId={coach.CoachId}", UriKind.Relative)))
                {
                    first.EnsureSuccessStatusCode();
                }
                var firstMs = child.ReadyMs + Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                await Task.Delay(3000);
                (isService ? service : raw).Add((child.ReadyMs, child.ReadyCpuMs, child.RssMb(), child.Smaps(), firstMs, child.ReadyJitted));
                Console.Error.WriteLine($"   {(isService ? "service" : "bare")}: ready {child.ReadyMs:F0} ms, first caseload {firstMs:F0} ms, CPU to ready {child.ReadyCpuMs:F0} ms, idle RSS {child.RssMb():F1} MB{(double.IsNaN(child.ReadyJitted) ? "" : $", JIT-compiled to ready {child.ReadyJitted:F0}")}, load {LoadAverage()}");
            }
        }
        static double Median(IEnumerable<double> v)
        {
            var a = v.Order().ToArray();
            return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
        }
        static string F(double v) => v.ToString(v < 100 ? "F1" : "F0", Inv);
        s.AppendLine(Inv, $"Service `{options.ServiceDll}`; bare app `{options.RawDll} serve-raw`. {options.Starts} alternating starts each; medians. Load average {LoadAverage()} at the end.");
        s.AppendLine();
        s.AppendLine("| process | start-to-ready ms | CPU to ready ms | idle RSS MB (3 s after ready) | anonymous MB | file-backed MB | private MB | all starts (ms) | all starts (CPU ms) |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var (name, runs) in new[] { ("service", service), ("bare app", raw) })
        {
            s.AppendLine(Inv, $"| {name} | {F(Median(runs.Select(r => r.Ms)))} | {F(Median(runs.Select(r => r.Cpu)))} | {F(Median(runs.Select(r => r.Mb)))} | {F(Median(runs.Select(r => r.Smaps.Anonymous)))} | {F(Median(runs.Select(r => r.Smaps.File)))} | {F(Median(runs.Select(r => r.Smaps.Private)))} | {string.Join(", ", runs.Select(r => F(r.Ms)))} | {string.Join(", ", runs.Select(r => F(r.Cpu)))} |");
        }
        s.AppendLine(Inv, $"| ratio | **{Median(service.Select(r => r.Ms)) / Median(raw.Select(r => r.Ms)):F2}×** | **{Median(service.Select(r => r.Cpu)) / Median(raw.Select(r => r.Cpu)):F2}×** | **{Median(service.Select(r => r.Mb)) / Median(raw.Select(r => r.Mb)):F2}×** | {Median(service.Select(r => r.Smaps.Anonymous)) / Median(raw.Select(r => r.Smaps.Anonymous)):F2}× | {Median(service.Select(r => r.Smaps.File)) / Median(raw.Select(r => r.Smaps.File)):F2}× | {Median(service.Select(r => r.Smaps.Private)) / Median(raw.Select(r => r.Smaps.Private)):F2}× | | |");
        s.AppendLine();
        if (options.JitSummary is not null)
        {
            s.AppendLine(Inv, $"Methods JIT-compiled by the first ready answer (`--jit-summary`, DOTNET_JitDisasmSummary; writing the list slows the start, so this run's times and CPU are not comparable with a run without it): service {F(Median(service.Select(r => r.Jitted)))}, bare app {F(Median(raw.Select(r => r.Jitted)))} (all starts: {string.Join(", ", service.Select(r => F(r.Jitted)))} / {string.Join(", ", raw.Select(r => F(r.Jitted)))}).");
            s.AppendLine();
        }
        s.AppendLine(Inv, $"Start to the first caseload answered (one GET sent as soon as ready was seen; the bare app's runs the same SELECT and access-log INSERT): service {F(Median(service.Select(r => r.FirstMs)))} ms, bare app {F(Median(raw.Select(r => r.FirstMs)))} ms, ratio **{Median(service.Select(r => r.FirstMs)) / Median(raw.Select(r => r.FirstMs)):F2}×** (all starts: {string.Join(", ", service.Select(r => F(r.FirstMs)))} / {string.Join(", ", raw.Select(r => F(r.FirstMs)))}).");
        s.AppendLine();
        return s.ToString();
    }

    private static object RequestBody((Guid CoachId, string Username, List<Guid> Households) coach,
        (Guid OrganisationId, string ServiceCode, List<string> BackOffice) org, Random rng) => new
    {
        householdId = coach.Households[rng.Next(coach.Households.Count)],
        organisationId = org.OrganisationId,
        serviceCode = org.ServiceCode,
        question = "Graag een intake voor dit huishouden (belasting-test).",
        urgency = "normal",
        legalBasis = "zwaarwegend-belang",
    };

    private static Uri RawRequestUri(World world, (Guid CoachId, string Username, List<Guid> Households) coach,
        (Guid OrganisationId, string ServiceCode, List<string> BackOffice) org, Random rng, string? marker) =>
        new($"/raw/requests?coachId={coach.CoachId}&teamId={world.Teams[coach.CoachId]}&householdId={coach.Households[rng.Next(coach.Households.Count)]}" +
            $"&organisationId={org.OrganisationId}&serviceCode={Uri.EscapeDataString(org.ServiceCode)}" +
            (marker is null ? "" : "&marker=" + marker), UriKind.Relative);

    /// <summary>
    /// One request at a time: a coach POSTs a request to an organisation whose back-office users are all connected;
    /// the time until the first of them receives its notification. Raw: a POST to the bare app, the time until its
    /// hub broadcast arrives at a connected client.
    /// </summary>
    private static async Task<(Stats Service, Stats Raw, Stats RawStatements)> NotificationLatencyAsync(World world, Child app, Child raw,
        Dictionary<Guid, HttpClient> clients, int samples)
    {
        var org = world.Organisations.OrderByDescending(o => o.BackOffice.Count).First();
        // The service pushes right after its commit, i.e. before it writes the HTTP answer that tells the harness the
        // request's id: the push usually arrives FIRST. So every arrival is kept with its time (the first per id), and
        // a sample is complete once both the answer and the arrival are there; its latency is arrival − send. (Until
        // 2026-12-01 an arrival without a waiter was dropped: on a quiet machine every sample "timed out".)
        var pending = new ConcurrentDictionary<string, TaskCompletionSource>();
        var arrivals = new ConcurrentDictionary<string, long>();
        void Received(JsonElement message)
        {
            var id = message.TryGetProperty("requestId", out var r) ? r.ToString() : "";
            arrivals.TryAdd(id, Stopwatch.GetTimestamp());
            if (pending.TryGetValue(id, out var done)) done.TrySetResult();
        }
        var hubs = new List<HubConnection>();
        foreach (var username in org.BackOffice)
        {
            var hub = new HubConnectionBuilder().WithUrl(new Uri(app.Address, "/hubs/notifications"),
                o => o.AccessTokenProvider = () => Task.FromResult<string?>(Token(username))).Build();
            hub.On<JsonElement>("notification", Received);
            await hub.StartAsync();
            // The hub answers Ready only once this connection is in its groups (NotificationsHub.Ready).
            await hub.InvokeAsync<string>("Ready");
            hubs.Add(hub);
        }
        var rawHub = new HubConnectionBuilder().WithUrl(new Uri(raw.Address, RawApp.HubPath)).Build();
        rawHub.On<JsonElement>("notification", Received);
        await rawHub.StartAsync();
        hubs.Add(rawHub);
        using var rawClient = Client(raw.Address, null);
        var rng = new Random(42);
        var service = new List<double>();
        var bare = new List<double>();
        var statements = new List<double>();
        int serviceErrors = 0, rawErrors = 0, statementErrors = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < samples + 10; i++)
        {
            var coach = world.Coaches[rng.Next(world.Coaches.Count)];
            // Service: the request id is only known from the answer (titles carry no text of the question to key on);
            // the push that came before the answer is in arrivals.
            var t0 = Stopwatch.GetTimestamp();
            using var response = await clients[coach.CoachId].PostAsJsonAsync(new Uri("/api/v1/requests", UriKind.Relative), RequestBody(coach, org, rng));
            if (!response.IsSuccessStatusCode)
            {
                serviceErrors++;
                if (serviceErrors <= 3) Console.Error.WriteLine($"   refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                continue;
            }
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").ToString();
            var done = pending.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (arrivals.ContainsKey(id)) done.TrySetResult();
            if (await Task.WhenAny(done.Task, Task.Delay(5000)) == done.Task)
            {
                if (i >= 10) service.Add(Stopwatch.GetElapsedTime(t0, arrivals[id]).TotalMilliseconds);
            }
            else
            {
                serviceErrors++;
                Console.Error.WriteLine($"   no notification within 5 s for request {id}");
            }
            pending.TryRemove(id, out _);
            arrivals.TryRemove(id, out _);

            var marker = Guid.NewGuid().ToString();
            var rawDone = pending.GetOrAdd(marker, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var r0 = Stopwatch.GetTimestamp();
            using var posted = await rawClient.PostAsync(new Uri($"/raw/broadcast?marker={marker}", UriKind.Relative), null);
            if (arrivals.ContainsKey(marker)) rawDone.TrySetResult();
            if (await Task.WhenAny(rawDone.Task, Task.Delay(5000)) == rawDone.Task)
            {
                if (i >= 10) bare.Add(Stopwatch.GetElapsedTime(r0, arrivals[marker]).TotalMilliseconds);
            }
            else rawErrors++;
            pending.TryRemove(marker, out _);
            arrivals.TryRemove(marker, out _);

            // Raw, the service's statements: the same transaction over ADO.NET, then the bare broadcast.
            marker = Guid.NewGuid().ToString();
            var statementsDone = pending.GetOrAdd(marker, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var s0 = Stopwatch.GetTimestamp();
            using var created = await rawClient.PostAsync(RawRequestUri(world, coach, org, rng, marker), null);
            if (!created.IsSuccessStatusCode) statementErrors++;
            if (arrivals.ContainsKey(marker)) statementsDone.TrySetResult();
            if (created.IsSuccessStatusCode && await Task.WhenAny(statementsDone.Task, Task.Delay(5000)) == statementsDone.Task)
            {
                if (i >= 10) statements.Add(Stopwatch.GetElapsedTime(s0, arrivals[marker]).TotalMilliseconds);
            }
            else if (created.IsSuccessStatusCode) statementErrors++;
            pending.TryRemove(marker, out _);
            arrivals.TryRemove(marker, out _);
        }
        foreach (var hub in hubs) await hub.DisposeAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        var a = Stats.From("notification: service", service, serviceErrors, seconds);
        var b = Stats.From("notification: raw", bare, rawErrors, seconds);
        var c = Stats.From("notification: raw statements", statements, statementErrors, seconds);
        Console.Error.WriteLine($"   notification p50 service {a.P50:F2} ms, bare {b.P50:F2} ms, raw statements + broadcast {c.P50:F2} ms");
        return (a, b, c);
    }

    /// <summary>The municipality-wide report as <see cref="Bench"/> measures it (what the handler's SQL costs) vs COUNT(*).</summary>
    private static async Task<(double CountMs, double MunicipalityMs, double TeamMs)> ReportAsync(DatabaseProvider provider, World world)
    {
        var settings = new DatabaseSettings(provider, world.ConnectionString);
        var dialect = SqlDialect.For(provider);
        var counts = new List<double>();
        var municipality = new List<double>();
        var team = new List<double>();
        for (var run = 0; run <= 5; run++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await using (var db = new DbSession(settings, dialect)) await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM involvements");
            var count = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            t0 = Stopwatch.GetTimestamp();
            await global::Bench.ReportAsync(settings, dialect, null);
            var muni = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            t0 = Stopwatch.GetTimestamp();
            await global::Bench.ReportAsync(settings, dialect, world.FirstTeam);
            var one = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (run == 0) continue;
            counts.Add(count);
            municipality.Add(muni);
            team.Add(one);
        }
        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        return (Median(counts), Median(municipality), Median(team));
    }

    // ---- mixed and soak --------------------------------------------------------------------------------------------

    /// <summary>
    /// Open loop at fixed rates (a request is sent on schedule whether or not the last one was answered, so a slow
    /// service shows as latency, not as a lower offered load): reads split evenly between caseload and household
    /// detail, writes are request creations; <c>--connections</c> SignalR clients of back-office users stay connected
    /// and count what they receive.
    /// </summary>
    private static async Task<string> MixedAsync(LoadOptions options, DatabaseProvider provider, World world)
    {
        var s = new StringBuilder();
        await using var app = await StartAsync(options, provider, world.ConnectionString, service: true);
        var clients = world.Coaches.ToDictionary(c => c.CoachId, c => Client(app.Address, c.Username));
        var backOffice = world.Organisations.SelectMany(o => o.BackOffice).ToList();
        var received = 0L;
        var hubs = new List<HubConnection>();
        Console.Error.WriteLine($"   connecting {options.Connections} SignalR clients");
        for (var i = 0; i < options.Connections; i++)
        {
            var username = backOffice[i % backOffice.Count];
            var hub = new HubConnectionBuilder().WithUrl(new Uri(app.Address, "/hubs/notifications"),
                o => o.AccessTokenProvider = () => Task.FromResult<string?>(Token(username))).WithAutomaticReconnect().Build();
            hub.On<JsonElement>("notification", _ => Interlocked.Increment(ref received));
            await hub.StartAsync();
            hubs.Add(hub);
        }
        var idleMb = app.RssMb();
        var duration = options.Mode == "soak" ? TimeSpan.FromMinutes(options.Minutes) : TimeSpan.FromSeconds(Math.Max(options.Seconds, 30));
        // Every answered request: read or write, seconds into the run when the answer came, latency. The whole-run,
        // after-30-s and by-interval figures are all taken from it, so a queue that builds up after a cold start and
        // drains (or never drains) shows.
        var answers = new ConcurrentBag<(bool Write, double At, double Ms)>();
        List<double> Latencies(bool write, double from = 0) =>
            answers.Where(a => a.Write == write && a.At >= from).Select(a => a.Ms).ToList();
        var readErrors = new StrongBox();
        var writeErrors = new StrongBox();
        var memory = new List<(double Minute, double Mb)>();
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            var every = options.Mode == "soak" ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(5);
            while (clock.Elapsed < duration)
            {
                await Task.Delay(every);
                lock (memory) memory.Add((clock.Elapsed.TotalMinutes, app.RssMb()));
            }
        });
        async Task Rate(int perSecond, Func<Random, Task<bool>> send, bool write, StrongBox errors, int seed)
        {
            if (perSecond <= 0) return;
            var rng = new Random(seed);
            var start = Stopwatch.GetTimestamp();
            var inflight = new List<Task>();
            // The n-th send is due when the offered count reaches n. Rate r(t) = R·t/T during a ramp of T seconds,
            // so n = R·t²/(2T) there, i.e. t = √(2Tn/R); afterwards t = T/2 + n/R (n counted from the ramp's end).
            double ramp = options.RampSeconds, inRamp = perSecond * ramp / 2;
            for (long n = 0; ; n++)
            {
                var at = n < inRamp ? Math.Sqrt(2 * ramp * n / perSecond) : ramp + (n - inRamp) / perSecond;
                var due = start + (long)(at * Stopwatch.Frequency);
                if (Stopwatch.GetElapsedTime(start) >= duration) break;
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                var local = new Random(rng.Next());
                inflight.Add(Task.Run(async () =>
                {
                    var t0 = Stopwatch.GetTimestamp();
                    try
                    {
                        if (await send(local)) answers.Add((write, clock.Elapsed.TotalSeconds, Stopwatch.GetElapsedTime(t0).TotalMilliseconds));
                        else errors.Increment();
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        errors.Increment();
                    }
                }));
                if (inflight.Count > 2000) inflight.RemoveAll(t => t.IsCompleted);
            }
            await Task.WhenAll(inflight);
        }
        Console.Error.WriteLine($"   {options.Mode}: {options.ReadsPerSecond} reads/s, {options.WritesPerSecond} writes/s for {duration}");
        var coaches = world.Coaches;
        await Task.WhenAll(
            Rate(options.ReadsPerSecond, rng =>
            {
                var c = coaches[rng.Next(coaches.Count)];
                var path = rng.Next(2) == 0 ? "/api/v1/caseload" : $"/api/v1/households/{c.Households[rng.Next(c.Households.Count)]}";
                return OkAsync(clients[c.CoachId].GetAsync(new Uri(path, UriKind.Relative)));
            }, write: false, readErrors, 1),
            Rate(options.WritesPerSecond, rng =>
            {
                var c = coaches[rng.Next(coaches.Count)];
                var org = world.Organisations[rng.Next(world.Organisations.Count)];
                return OkAsync(clients[c.CoachId].PostAsJsonAsync(new Uri("/api/v1/requests", UriKind.Relative), RequestBody(c, org, rng)));
            }, write: true, writeErrors, 2));
        var seconds = clock.Elapsed.TotalSeconds;
        await sampler;
        await Task.Delay(2000); // the last pushes
        var r = Stats.From("reads", Latencies(write: false), readErrors.Value, seconds);
        var w = Stats.From("writes", Latencies(write: true), writeErrors.Value, seconds);
        foreach (var hub in hubs) await hub.DisposeAsync();
        foreach (var client in clients.Values) client.Dispose();
        static string F(double v) => double.IsNaN(v) ? "–" : v.ToString(v < 10 ? "F2" : v < 100 ? "F1" : "F0", Inv);
        s.AppendLine(Inv, $"Offered: {options.ReadsPerSecond} reads/s (caseload and household detail, half each), {options.WritesPerSecond} writes/s (request creation), {hubs.Count} SignalR connections of {backOffice.Count} back-office users; {duration.TotalMinutes:F1} min, open loop{(options.RampSeconds > 0 ? $", rising linearly from 0 over the first {options.RampSeconds} s" : "")}.");
        s.AppendLine();
        s.AppendLine("| kind | achieved /s | p50 ms | p99 ms | errors |");
        s.AppendLine("|---|---:|---:|---:|---:|");
        s.AppendLine(Inv, $"| reads | {r.PerSecond:F0} | {F(r.P50)} | {F(r.P99)} | {r.Errors} |");
        s.AppendLine(Inv, $"| writes | {w.PerSecond:F0} | {F(w.P50)} | {F(w.P99)} | {w.Errors} |");
        s.AppendLine();
        s.AppendLine(Inv, $"Errors by kind: {ErrorSummary()}.");
        s.AppendLine();
        // A node that starts into the full rate builds a queue while the JIT tiers its hot paths up (~20 s on this
        // machine); what follows is the steady state. Both are reported; the table above is the whole run.
        if (duration.TotalSeconds >= 60)
        {
            var rs = Stats.From("", Latencies(write: false, from: 30), 0, 1);
            var ws = Stats.From("", Latencies(write: true, from: 30), 0, 1);
            s.AppendLine(Inv, $"After the first 30 s: reads p50 {F(rs.P50)} ms, p99 {F(rs.P99)} ms ({rs.Count:N0}); writes p50 {F(ws.P50)} ms, p99 {F(ws.P99)} ms ({ws.Count:N0}).");
            s.AppendLine();
        }
        var step = options.Mode == "soak" ? 60 : 5;
        s.AppendLine(string.Create(Inv, $"By interval of {step} s (answers completed in it; p50 / p99 ms): ") + string.Join(", ",
            answers.GroupBy(t => (int)(t.At / step)).OrderBy(g => g.Key).Select(g =>
            {
                var gr = Stats.From("", g.Where(t => !t.Write).Select(t => t.Ms).ToList(), 0, step);
                var gw = Stats.From("", g.Where(t => t.Write).Select(t => t.Ms).ToList(), 0, step);
                return $"{g.Key * step}–{(g.Key + 1) * step} s reads {F(gr.P50)} / {F(gr.P99)}, writes {F(gw.P50)} / {F(gw.P99)}";
            })) + ".");
        s.AppendLine();
        s.AppendLine(Inv, $"SignalR messages received: {Interlocked.Read(ref received):N0}. Service RSS: {F(idleMb)} MB with the connections before the load.");
        if (memory.Count > 0)
        {
            // Drift: after the first minute (JIT, pools, caches filled) to the end.
            var settled = memory.FirstOrDefault(m => m.Minute >= Math.Min(1, duration.TotalMinutes / 4));
            if (settled == default) settled = memory[0];
            var last = memory[^1];
            var hours = Math.Max(1e-9, (last.Minute - settled.Minute) / 60);
            s.AppendLine(Inv, $"RSS: {F(settled.Mb)} MB at {settled.Minute:F1} min → {F(last.Mb)} MB at {last.Minute:F1} min (max {F(memory.Max(m => m.Mb))} MB): drift **{F(last.Mb - settled.Mb)} MB** ({F((last.Mb - settled.Mb) / hours)} MB/h).");
            s.AppendLine();
            s.AppendLine("Samples (minute: MB): " + string.Join(", ", memory.Select(m => $"{m.Minute.ToString("F1", Inv)}: {m.Mb.ToString("F0", Inv)}")));
        }
        s.AppendLine();
        return s.ToString();
    }
}
