using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Frontlijn.Web.Features.Caseload;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Data.Sqlite;

namespace Frontlijn.Bench;

/// <summary>
/// The raw baseline and the bare app (issue 12): a plain ASP.NET Core app with no authentication, no mediator, no
/// Dapper, that runs the service's own SQL constants over ADO.NET (<see cref="DbCommand"/> and a reader), the access-log
/// insert included (one multi-row INSERT for a listed page, one row for a detail read), and a bare SignalR hub whose
/// POST broadcasts at once. It is started as a child process (<c>serve-raw</c>), like the service, so that start-to-ready
/// and idle memory compare process with process.
/// </summary>
internal static class RawApp
{
    public const string HubPath = "/hubs/raw";

    // SQLite has one writer: the baseline queues its inserts in-process, as the service does (DbSession), instead of
    // leaving concurrent writers to sleep in SQLite's busy handler, which would make the baseline, not the service, slow.
    private static readonly SemaphoreSlim SqliteWriter = new(1, 1);

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        var provider = builder.Configuration["Database:Provider"] == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        var connectionString = builder.Configuration["ConnectionStrings:Frontlijn"]!;
        var dialect = SqlDialect.For(provider);
        var app = builder.Build();
        var caseloadSql = dialect.Render(GetCaseload.ByRegisteredSql);
        var findSql = dialect.Render(HouseholdAccess.FindSql);
        var membersSql = dialect.Render(GetHousehold.MembersSql);

        app.MapGet("/health/ready", () => Results.Ok());
        app.MapGet("/raw/caseload", async (Guid coachId, int? page, HttpContext http, CancellationToken ct) =>
        {
            await using var connection = dialect.CreateConnection(connectionString);
            await connection.OpenAsync(ct);
            var rows = await QueryAsync(connection, caseloadSql, ct, ("coachId", coachId), ("offset", ((page ?? 1) - 1) * 20), ("limit", 20));
            var ids = rows.Select(r => r["household_id"]).ToList();
            await InsertAccessLogAsync(connection, provider, coachId, "list", ids, http, ct);
            var total = rows.Count > 0 ? Convert.ToInt64(rows[0]["total_count"], CultureInfo.InvariantCulture) : 0;
            return Results.Json(new { items = rows, page = page ?? 1, pageSize = 20, total });
        });
        app.MapGet("/raw/households/{id:guid}", async (Guid id, Guid actorId, HttpContext http, CancellationToken ct) =>
        {
            await using var connection = dialect.CreateConnection(connectionString);
            await connection.OpenAsync(ct);
            var household = await QueryAsync(connection, findSql, ct, ("id", id));
            if (household.Count == 0) return Results.NotFound();
            await InsertAccessLogAsync(connection, provider, actorId, "read", [household[0]["id"]], http, ct);
            var members = await QueryAsync(connection, membersSql, ct, ("householdId", id));
            return Results.Json(new { household = household[0], members });
        });
        // A bare hub broadcast: what the service's notification path is compared with.
        app.MapPost("/raw/broadcast", async (string marker, IHubContext<RawHub> hub, CancellationToken ct) =>
        {
            await hub.Clients.All.SendAsync("notification", new { requestId = marker }, ct);
            return Results.Accepted();
        });
        // Request creation as the service does it (issue 12, round 5): its own statements, taken from the handlers'
        // constants at run time, in one transaction — lock and read the household, the addressee, the request with its
        // history, the access-log row, the back office's cursors and inbox rows — then commit. With a marker, a bare
        // broadcast after the commit: "same statements + broadcast", the notification's reference beside the bare hub.
        // No authentication, no validation, no mediator, no Dapper; what this costs is what the hardware allows.
        // Since branch creation2 the service sends the lock, the household read and the addressee as one command, and the
        // request, its history and its access-log row as another: so does the raw reference (same constants).
        var lockThenFind = dialect.Render(SendRequest.LockThenReadAddressee);
        // PostgreSQL: the inserts and the notification in one command, as the service sends them for an organisation
        // without webhook and reply link (the harness's organisations have neither). SQLite: inserts, then the bump.
        var insertRequestSql = dialect.Render(provider == DatabaseProvider.Postgres ? SendRequest.InsertAndNotifyBackOfficePostgres : SendRequest.InsertSql);
        var notifySql = dialect.Render(Notifier.BumpBackOfficeSqlite);
        app.MapPost("/raw/requests", async (Guid coachId, Guid teamId, Guid householdId, Guid organisationId, string serviceCode,
            string? marker, HttpContext http, IHubContext<RawHub> hub, CancellationToken ct) =>
        {
            var origin = http.Connection.RemoteIpAddress?.ToString() ?? "api";
            Guid? id;
            if (provider == DatabaseProvider.Sqlite) await SqliteWriter.WaitAsync(ct);
            try
            {
                id = await CreateRequestAsync(provider, dialect, connectionString, lockThenFind, insertRequestSql,
                    notifySql, coachId, teamId, householdId, organisationId, serviceCode, origin, ct);
            }
            finally
            {
                if (provider == DatabaseProvider.Sqlite) SqliteWriter.Release();
            }
            if (id is null) return Results.NotFound();
            if (marker is not null) await hub.Clients.All.SendAsync("notification", new { requestId = marker }, ct);
            return Results.Json(new { id });
        });
        app.MapHub<RawHub>(HubPath);
        await app.RunAsync();
    }

    private static async Task<List<Dictionary<string, object?>>> QueryAsync(DbConnection connection, string sql, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Add(command, name, value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync(ct))
        {
            var row = new Dictionary<string, object?>(reader.FieldCount);
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static async Task<Guid?> CreateRequestAsync(DatabaseProvider provider, SqlDialect dialect, string connectionString,
        string lockThenFind, string insertRequestSql, string notifySql,
        Guid coachId, Guid teamId, Guid householdId, Guid organisationId, string serviceCode, string origin, CancellationToken ct)
    {
        await using var connection = dialect.CreateConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        // One command, three result sets: the lock's RETURNING row, the household read under it, the addressee.
        var results = await QueryAllAsync(connection, tx, lockThenFind, ct, ("id", householdId), ("teamId", teamId),
            ("organisationId", organisationId), ("serviceCode", serviceCode), ("householdId", householdId));
        if (results.Count < 3 || results[0].Count == 0 || results[1].Count == 0) return null;
        var addressee = results[2];
        if (addressee.Count == 0 || addressee[0]["service_code"] is null) return null;
        var now = DateTimeOffset.UtcNow;
        var id = Guid.CreateVersion7(now);
        var dueAt = now.AddDays(Convert.ToInt32(addressee[0]["response_days"], CultureInfo.InvariantCulture));
        // One command: the request, its history and the access-log row of its creation (PostgreSQL: and the notification).
        (string, object?)[] notification =
            [("type", "nl.frontlijn.request.sent"), ("title", "Nieuw verzoek"), ("householdId", householdId), ("requestId", id), ("createdAt", now)];
        (string, object?)[] insert = [("requestId", id), ("historyId", Guid.CreateVersion7(now)),
            ("requestHouseholdId", householdId), ("organisationId", organisationId), ("serviceCode", serviceCode),
            ("question", "Graag een intake voor dit huishouden (belasting-test)."), ("urgency", "normal"),
            ("legalBasis", "zwaarwegend-belang"), ("consentId", null), ("sentBy", coachId), ("now", now), ("dueAt", dueAt),
            ("tariffCents", addressee[0]["tariff_cents"]), ("tariffPer", addressee[0]["tariff_per"]),
            ("id", Guid.CreateVersion7()), ("occurredAt", now),
            ("actorId", coachId), ("actorMemberId", null), ("onBehalfOf", null), ("action", "create"), ("objectType", "request"),
            ("objectId", id), ("householdId", householdId), ("result", "success"), ("origin", origin), ("actorOrganisationId", null)];
        if (provider == DatabaseProvider.Postgres)
        {
            // @requestId, @organisationId and @householdId are shared with the inserts (the same values).
            await QueryAllAsync(connection, tx, insertRequestSql, ct, [.. insert, ("type", "nl.frontlijn.request.sent"),
                ("title", "Nieuw verzoek"), ("createdAt", now)]);
            await tx.CommitAsync(ct);
            return id;
        }
        await ExecuteAsync(connection, tx, insertRequestSql, ct, insert);
        var bumped = (await QueryAllAsync(connection, tx, notifySql, ct, ("organisationId", organisationId)))[0];
        if (bumped.Count > 0)
        {
            // SQLite: the organisation's cursor came back (the organisation feed, migration 0027: ONE row for the whole
            // back office); the row is inserted as Notifier writes it there.
            await ExecuteAsync(connection, tx, dialect.Render(Notifier.InsertOrganisationRowSql), ct,
                [.. notification, ("id", Guid.CreateVersion7()), ("organisationId", bumped[0]["id"]), ("seq", bumped[0]["notification_seq"])]);
        }
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>Every result set of one command, in order (a statement without rows adds none on PostgreSQL).</summary>
    private static async Task<List<List<Dictionary<string, object?>>>> QueryAllAsync(DbConnection connection, DbTransaction tx,
        string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Add(command, name, value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var results = new List<List<Dictionary<string, object?>>>();
        do
        {
            var rows = new List<Dictionary<string, object?>>();
            while (await reader.ReadAsync(ct))
            {
                var row = new Dictionary<string, object?>(reader.FieldCount);
                for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
            results.Add(rows);
        }
        while (await reader.NextResultAsync(ct));
        return results;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Add(command, name, value);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value switch
        {
            null => DBNull.Value,
            DateTimeOffset d when command is SqliteCommand => DapperTypeHandlers.SqliteTimestamp(d),
            DateTimeOffset d => d.ToUniversalTime(),
            _ => value,
        };
        command.Parameters.Add(parameter);
    }

    /// <summary>The same rows the service writes: one statement, autocommit, on the connection of the read.</summary>
    private static async Task InsertAccessLogAsync(DbConnection connection, DatabaseProvider provider, Guid actorId, string action,
        List<object?> householdIds, HttpContext http, CancellationToken ct)
    {
        if (householdIds.Count == 0) return;
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("INSERT INTO access_log (id, occurred_at, actor_id, on_behalf_of, action, object_type, object_id, household_id, result, origin) VALUES ");
        Add(command, "occurredAt", DateTimeOffset.UtcNow);
        Add(command, "actorId", actorId);
        Add(command, "action", action);
        Add(command, "origin", http.Connection.RemoteIpAddress?.ToString() ?? "api");
        for (var i = 0; i < householdIds.Count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            if (i > 0) sql.Append(", ");
            sql.Append(CultureInfo.InvariantCulture, $"(@id{n}, @occurredAt, @actorId, NULL, @action, 'household', @h{n}, @h{n}, 'success', @origin)");
            Add(command, "id" + n, Guid.CreateVersion7());
            // The household id as read: a Guid on PostgreSQL, its text on SQLite (stored as text, bound as text).
            Add(command, "h" + n, provider == DatabaseProvider.Postgres ? householdIds[i] : Guid.Parse((string)householdIds[i]!));
        }
        command.CommandText = sql.ToString();
        if (provider != DatabaseProvider.Sqlite)
        {
            await command.ExecuteNonQueryAsync(ct);
            return;
        }
        await SqliteWriter.WaitAsync(ct);
        try
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            SqliteWriter.Release();
        }
    }
}

internal sealed class RawHub : Hub;
