using System.Diagnostics;
using System.Globalization;
using System.Text;
using Frontlijn.Bench;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// dotnet run -c Release --project bench/Frontlijn.Bench -- --provider sqlite|postgres --households 10000,100000,1000000
//     [--connection "..."] [--runs 5] [--keep]
// Load harness (issue 12): dotnet run -c Release --project bench/Frontlijn.Bench -- --load compare|mixed|soak ...
// (docs/PERFORMANCE.md); serve-raw is the raw baseline child process it starts.
if (args.Length > 0 && args[0] == "serve-raw")
{
    await RawApp.RunAsync(args[1..]);
    return;
}
if (args.Contains("--load"))
{
    await Load.RunAsync(args);
    return;
}
var options = Options.Parse(args);
DapperTypeHandlers.Register();
var repository = Options.RepositoryRoot();
var results = Path.Combine(repository, "bench", "results");
Directory.CreateDirectory(results);
var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
var measured = new List<Measurement>();
foreach (var size in options.Households)
{
    Console.Error.WriteLine($"== {options.Provider} {size:N0} households");
    measured.Add(await Bench.RunAsync(options, size, results, stamp));
    Console.Error.WriteLine(Report.Markdown(options, measured));
}
var markdown = Report.Markdown(options, measured);
Console.WriteLine(markdown);
var file = Path.Combine(results, $"{options.ProviderName}-{stamp}.md");
await File.WriteAllTextAsync(file, markdown);
Console.Error.WriteLine($"Written to {Path.GetRelativePath(repository, file)}");

internal sealed record Options(DatabaseProvider Provider, int[] Households, string? Connection, int Runs, bool Keep)
{
    public string ProviderName => Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";
    public const string DefaultPostgres = "Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres";

    public string CommandLine =>
        $"dotnet run -c Release --project bench/Frontlijn.Bench -- --provider {ProviderName} --households " +
        string.Join(',', Households.Select(h => h.ToString(CultureInfo.InvariantCulture))) +
        (Runs == 5 ? "" : $" --runs {Runs.ToString(CultureInfo.InvariantCulture)}");

    public static Options Parse(string[] args)
    {
        var provider = DatabaseProvider.Sqlite;
        int[] households = [10_000, 100_000, 1_000_000];
        string? connection = null;
        var runs = 5;
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--provider":
                    provider = Next() switch
                    {
                        "sqlite" => DatabaseProvider.Sqlite,
                        "postgres" or "postgresql" => DatabaseProvider.Postgres,
                        var p => throw new ArgumentException($"Unknown provider {p}: use sqlite or postgres."),
                    };
                    break;
                case "--households":
                    households = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(h => int.Parse(h.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)).ToArray();
                    break;
                case "--connection": connection = Next(); break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--keep": keep = true; break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        if (runs < 1 || households.Length == 0 || households.Any(h => h < 100)) throw new ArgumentException("Bad --runs or --households.");
        return new Options(provider, households, connection, runs, keep);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Frontlijn.sln"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}

internal sealed record Timing(double MedianMs, double MinMs, double MaxMs, long MedianAllocatedBytes);

internal sealed record Measurement(
    int Households, int Teams, IReadOnlyList<(string Table, long Rows)> Rows, double LoadSeconds, double AnalyzeSeconds,
    long DatabaseBytes, Timing Count, Timing Team, Timing TeamDistribution, Timing Municipality, Timing MunicipalityDistribution,
    int TeamScope, int MunicipalityScope, long PeakWorkingSetLoad, long PeakWorkingSetReport)
{
    /// <summary>Seconds to build the report summary after the bulk load (migration 0023's backfill statement).</summary>
    public double SummarySeconds { get; init; }

    /// <summary>The municipality-wide distribution query before the summary, once, on the same data (ms).</summary>
    public double ReferenceDistributionMs { get; init; }
}

internal static class Bench
{
    /// <summary>Writes the generated installation into the (migrated, empty) database through the provider's bulk sink.</summary>
    internal static async Task GenerateAsync(Generator generator, SqlDialect dialect, string connectionString)
    {
        await using var connection = dialect.CreateConnection(connectionString);
        await connection.OpenAsync();
        await using IBulkSink sink = connection switch
        {
            NpgsqlConnection npgsql => new PostgresSink(npgsql),
            SqliteConnection sqlite => new SqliteSink(sqlite),
            _ => throw new InvalidOperationException(),
        };
        await generator.GenerateAsync(sink);
    }

    /// <summary>
    /// The bulk load bypasses the service's writers: build the report summary (migration 0023) as the migration does for
    /// existing data. Without it the report would read an empty summary and be fast for the wrong reason.
    /// </summary>
    internal static async Task BuildSummaryAsync(SqlDialect dialect, string connectionString)
    {
        await using var connection = dialect.CreateConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = HouseholdSummary.RebuildAllSql;
        command.CommandTimeout = 3600;
        await command.ExecuteNonQueryAsync();
        // And the closed providers' last ends (migration 0025), which the report reads next to the summary.
        command.CommandText = HouseholdSummary.RebuildAllEndsSql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<Measurement> RunAsync(Options options, int size, string results, string stamp)
    {
        string connectionString;
        string? sqliteDirectory = null;
        var adminConnection = options.Connection ?? Options.DefaultPostgres;
        var database = $"frontlijn_bench_{size.ToString(CultureInfo.InvariantCulture)}";
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            sqliteDirectory = options.Connection ?? Path.Combine(Path.GetTempPath(), $"frontlijn-bench-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
            Directory.CreateDirectory(sqliteDirectory);
            var file = Path.Combine(sqliteDirectory, $"{database}.db");
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
            connectionString = $"Data Source={file}";
        }
        else
        {
            await using (var admin = new NpgsqlConnection(adminConnection))
            {
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
                await create.ExecuteNonQueryAsync();
            }
            connectionString = new NpgsqlConnectionStringBuilder(adminConnection) { Database = database }.ToString();
        }
        try
        {
            var settings = new DatabaseSettings(options.Provider, connectionString);
            var dialect = SqlDialect.For(options.Provider);
            new Migrator(settings, NullLogger<Migrator>.Instance).Migrate();

            var generator = new Generator(size);
            var load = Stopwatch.StartNew();
            await GenerateAsync(generator, dialect, connectionString);
            load.Stop();
            Console.Error.WriteLine($"   loaded in {load.Elapsed.TotalSeconds:F1} s");
            var summary = Stopwatch.StartNew();
            await BuildSummaryAsync(dialect, connectionString);
            summary.Stop();
            Console.Error.WriteLine($"   summary built in {summary.Elapsed.TotalSeconds:F1} s");
            var analyze = Stopwatch.StartNew();
            await using (var connection = dialect.CreateConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                // PostgreSQL: what autovacuum would have done by the time anyone reports (statistics, visibility map).
                // SQLite: the load left its pages in the WAL; checkpoint them into the file as the closed load connection would.
                command.CommandText = options.Provider == DatabaseProvider.Postgres ? "VACUUM (ANALYZE)" : "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;";
                command.CommandTimeout = 3600;
                await command.ExecuteNonQueryAsync();
            }
            analyze.Stop();
            var rows = new List<(string, long)>();
            await using (var session = new DbSession(settings, dialect))
            {
                foreach (var table in Table.All)
                {
                    rows.Add((table.Name, await session.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table.Name}")));
                }
            }
            if (options.Keep) Console.Error.WriteLine($"   kept: {connectionString}");
            var bytes = await DatabaseBytesAsync(options.Provider, connectionString, sqliteDirectory);
            var peakLoad = Memory.PeakWorkingSet();
            Memory.ResetPeak();
            var measurement = await MeasureAsync(options, size, generator, settings, dialect, rows, load.Elapsed.TotalSeconds,
                analyze.Elapsed.TotalSeconds, bytes, peakLoad);
            await ExplainAsync(options, size, generator, settings, dialect, results, stamp);
            var referenceMs = await Reference.CompareAsync(settings, dialect);
            return measurement with { SummarySeconds = summary.Elapsed.TotalSeconds, ReferenceDistributionMs = referenceMs };
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            SqliteConnection.ClearAllPools();
            if (!options.Keep)
            {
                if (sqliteDirectory is not null && options.Connection is null) Directory.Delete(sqliteDirectory, recursive: true);
                if (options.Provider == DatabaseProvider.Postgres)
                {
                    await using var admin = new NpgsqlConnection(adminConnection);
                    await admin.OpenAsync();
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
                    await drop.ExecuteNonQueryAsync();
                }
            }
        }
    }

    private static async Task<long> DatabaseBytesAsync(DatabaseProvider provider, string connectionString, string? directory)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return new DirectoryInfo(directory!).EnumerateFiles().Sum(f => f.Length);
        }
        await using var session = new DbSession(new DatabaseSettings(provider, connectionString), SqlDialect.For(provider));
        return await session.ExecuteScalarAsync<long>("SELECT pg_database_size(current_database())");
    }

    /// <summary>The parameters the report's handler passes, for one team or (teamId null) the whole municipality.</summary>
    private static readonly ReportPeriod Period = new(new DateOnly(2025, 6, 1), new DateOnly(2026, 5, 31));
    private const int Threshold = 5; // Involvements:Threshold default
    private const int PageSize = 50;

    /// <summary>
    /// Exactly what <see cref="ProvidersPerHousehold"/>'s handler runs: the distribution query, then one page of 50 sorted by
    /// providersNow, both through <see cref="DbSession"/> (dialect rendering, camelCase parameters, Dapper), on a scoped
    /// session as an HTTP request would have. Returns the number of households in scope.
    /// </summary>
    internal static async Task<(int Households, double DistributionMs)> ReportAsync(DatabaseSettings settings, SqlDialect dialect, Guid? teamId)
    {
        await using var db = new DbSession(settings, dialect);
        var parameters = new
        {
            teamId, NeighbourhoodId = (Guid?)null, periodStart = Period.Start, periodEnd = Period.End, threshold = Threshold,
        };
        var started = Stopwatch.GetTimestamp();
        var buckets = (await db.QueryAsync<ProvidersPerHousehold.BucketRow>(
            teamId is null ? ProvidersPerHousehold.MunicipalityDistributionSql : ProvidersPerHousehold.DistributionSql, parameters)).ToList();
        var distributionMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var total = (int)buckets.Sum(b => b.Households);
        var rows = await db.QueryAsync<ProvidersPerHousehold.Row>(
            teamId is null ? ProvidersPerHousehold.MunicipalityPageByProvidersNowSql : ProvidersPerHousehold.PageByProvidersNowSql, new
        {
            teamId, NeighbourhoodId = (Guid?)null, periodStart = Period.Start, periodEnd = Period.End, offset = 0, limit = PageSize,
        });
        var items = rows.Select(r => new ProvidersPerHousehold.HouseholdProviders(r.HouseholdId, r.NeighbourhoodId, r.Status,
            DateOnly.FromDateTime(r.CreatedAt.UtcDateTime), r.ProvidersAtIntake, r.ProvidersNow, r.ProvidersNow - r.ProvidersAtIntake,
            r.ProvidersInPeriod, r.ProfessionalsInPeriod, r.ProvidersNow >= Threshold)).ToList();
        if (total > 0 && items.Count != Math.Min(PageSize, total)) throw new InvalidOperationException("The page is short.");
        return (total, distributionMs);
    }

    private static async Task<Measurement> MeasureAsync(Options options, int size, Generator generator, DatabaseSettings settings,
        SqlDialect dialect, List<(string, long)> rows, double loadSeconds, double analyzeSeconds, long bytes, long peakLoad)
    {
        var team = generator.Teams[0];
        async Task<long> CountAsync()
        {
            await using var db = new DbSession(settings, dialect);
            return await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM involvements");
        }
        var samples = new Dictionary<string, List<(double Ms, long Bytes)>>
        {
            ["count"] = [], ["team"] = [], ["teamDistribution"] = [], ["municipality"] = [], ["municipalityDistribution"] = [],
        };
        int teamScope = 0, municipalityScope = 0;
        // One warm-up of each, then the runs interleaved so that noise on the machine hits all three alike.
        for (var run = 0; run <= options.Runs; run++)
        {
            var warm = run == 0;
            var (ms, allocated, _) = await Timed(CountAsync);
            if (!warm) samples["count"].Add((ms, allocated));
            var (teamMs, teamBytes, teamResult) = await Timed(() => ReportAsync(settings, dialect, team));
            if (!warm)
            {
                samples["team"].Add((teamMs, teamBytes));
                samples["teamDistribution"].Add((teamResult.DistributionMs, 0));
            }
            var (muniMs, muniBytes, muniResult) = await Timed(() => ReportAsync(settings, dialect, null));
            if (!warm)
            {
                samples["municipality"].Add((muniMs, muniBytes));
                samples["municipalityDistribution"].Add((muniResult.DistributionMs, 0));
            }
            teamScope = teamResult.Households;
            municipalityScope = muniResult.Households;
            Console.Error.WriteLine($"   {(warm ? "warm-up" : "run " + run.ToString(CultureInfo.InvariantCulture))}: count {ms:F1} ms, team {teamMs:F1} ms ({teamScope} households), municipality {muniMs:F1} ms ({municipalityScope} households)");
        }
        var peakReport = Memory.PeakWorkingSet();
        return new Measurement(size, generator.TeamCount, rows, loadSeconds, analyzeSeconds, bytes, Summary(samples["count"]),
            Summary(samples["team"]), Summary(samples["teamDistribution"]), Summary(samples["municipality"]),
            Summary(samples["municipalityDistribution"]), teamScope, municipalityScope, peakLoad, peakReport);
    }

    private static async Task<(double Ms, long Allocated, T Result)> Timed<T>(Func<Task<T>> action)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var result = await action();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return (ms, GC.GetTotalAllocatedBytes(precise: true) - before, result);
    }

    private static Timing Summary(List<(double Ms, long Bytes)> samples)
    {
        var ms = samples.Select(s => s.Ms).Order().ToList();
        var bytes = samples.Select(s => s.Bytes).Order().ToList();
        return new Timing(Median(ms), ms[0], ms[^1], (long)Median(bytes.Select(b => (double)b).ToList()));
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static async Task ExplainAsync(Options options, int size, Generator generator, DatabaseSettings settings, SqlDialect dialect,
        string results, string stamp)
    {
        var text = new StringBuilder();
        foreach (var (label, teamId) in new[] { ("municipality (teamId null)", (Guid?)null), ("one team", generator.Teams[0]) })
        {
            await using var db = new DbSession(settings, dialect);
            var parameters = new
            {
                teamId, NeighbourhoodId = (Guid?)null, periodStart = Period.Start, periodEnd = Period.End, threshold = Threshold,
            };
            var prefix = options.Provider == DatabaseProvider.Postgres ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ";
            var sql = teamId is null ? ProvidersPerHousehold.MunicipalityDistributionSql : ProvidersPerHousehold.DistributionSql;
            var lines = options.Provider == DatabaseProvider.Postgres
                ? await db.QueryAsync<string>(prefix + sql, parameters)
                : (await db.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(prefix + sql, parameters))
                    .Select(r => $"{r.Id,4} {r.Parent,4}  {r.Detail}");
            text.AppendLine(CultureInfo.InvariantCulture, $"-- {options.ProviderName}, {size:N0} households, DistributionSql, {label}");
            foreach (var line in lines) text.AppendLine(line);
            text.AppendLine();
        }
        var file = Path.Combine(results, $"{options.ProviderName}-explain-{size.ToString(CultureInfo.InvariantCulture)}-{stamp}.txt");
        await File.WriteAllTextAsync(file, text.ToString());
    }
}

internal static class Memory
{
    /// <summary>The process's peak resident set (VmHWM on Linux).</summary>
    public static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    /// <summary>Linux: writing 5 to clear_refs resets VmHWM, so the next peak is that of the report runs alone.</summary>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

internal static class Report
{
    private static string Ms(double ms) => ms.ToString(ms < 10 ? "F2" : ms < 100 ? "F1" : "F0", CultureInfo.InvariantCulture);
    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
    private static string X(double ratio) => ratio.ToString("F1", CultureInfo.InvariantCulture) + "×";

    public static string Markdown(Options options, IReadOnlyList<Measurement> measured)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"### {options.ProviderName} — providers-per-household report");
        s.AppendLine();
        s.AppendLine(inv, $"`{options.CommandLine}` — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, median of {options.Runs} runs after 1 warm-up (min–max in brackets).");
        s.AppendLine();
        s.AppendLine("| households | teams | involvements | COUNT(*) ms | team: report ms | team ÷ COUNT | municipality: report ms | municipality ÷ COUNT | municipality ms per 100k households |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in measured)
        {
            var involvements = m.Rows.First(r => r.Table == "involvements").Rows;
            s.AppendLine(inv, $"| {m.Households:N0} | {m.Teams} | {involvements:N0} | {Ms(m.Count.MedianMs)} ({Ms(m.Count.MinMs)}–{Ms(m.Count.MaxMs)}) | {Ms(m.Team.MedianMs)} ({Ms(m.Team.MinMs)}–{Ms(m.Team.MaxMs)}) | {X(m.Team.MedianMs / m.Count.MedianMs)} | {Ms(m.Municipality.MedianMs)} ({Ms(m.Municipality.MinMs)}–{Ms(m.Municipality.MaxMs)}) | {X(m.Municipality.MedianMs / m.Count.MedianMs)} | {Ms(m.Municipality.MedianMs / m.Households * 100_000)} |");
        }
        s.AppendLine();
        s.AppendLine("| households | households in scope: team / municipality | distribution query ms: team / municipality | managed allocations per report: team / municipality | peak working set: load / report runs | load s | summary build s | ANALYZE s | database size | municipality distribution before the summary ms (once) |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in measured)
        {
            s.AppendLine(inv, $"| {m.Households:N0} | {m.TeamScope:N0} / {m.MunicipalityScope:N0} | {Ms(m.TeamDistribution.MedianMs)} / {Ms(m.MunicipalityDistribution.MedianMs)} | {Mb(m.Team.MedianAllocatedBytes)} MB / {Mb(m.Municipality.MedianAllocatedBytes)} MB | {Mb(m.PeakWorkingSetLoad)} MB / {Mb(m.PeakWorkingSetReport)} MB | {m.LoadSeconds:F1} | {m.SummarySeconds:F1} | {m.AnalyzeSeconds:F1} | {Mb(m.DatabaseBytes)} MB | {Ms(m.ReferenceDistributionMs)} |");
        }
        s.AppendLine();
        s.AppendLine("Rows per table:");
        s.AppendLine();
        s.AppendLine("| table | " + string.Join(" | ", measured.Select(m => m.Households.ToString("N0", inv))) + " |");
        s.AppendLine("|---|" + string.Concat(measured.Select(_ => "---:|")));
        foreach (var table in measured[0].Rows.Select(r => r.Table))
        {
            s.AppendLine("| " + table + " | " + string.Join(" | ", measured.Select(m => m.Rows.First(r => r.Table == table).Rows.ToString("N0", inv))) + " |");
        }
        return s.ToString();
    }
}
