using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Frontlijn.Web.Features.StandIns;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Mediator;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Frontlijn.Web.Features.AccessLog;

/// <summary>
/// Writes the NEN 7513 / BIO 8.15.01 access log: who (actor, on behalf of), what (action on an object of a household),
/// with which result, from where, when. Inside a command a successful access joins the command's transaction, so a
/// change and its log row commit or roll back together. A refusal (<see cref="Denied"/>) must outlive the refused
/// change, which is rolled back: inside a command it is handed to <see cref="AfterUnitOfWork"/> and written after the
/// commit or rollback, in a transaction of its own (on SQLite, the single writer, the refused transaction has let go
/// of the database by then, so this cannot wait on it). In a query (no transaction) every row is written at once.
/// <c>on_behalf_of</c> is the coach whose stand-in the actor is, for rows about that coach's households.
/// Only ids go in: never names, never a BSN.
/// </summary>
public sealed class AccessLogWriter(
    DbSession db, CurrentUser user, IHttpContextAccessor http, TimeProvider time, AfterUnitOfWork afterUnitOfWork, StandInLookup standIns)
{
    public const string Success = "success";
    public const string Denied = "denied";

    /// <summary>Whether the caller is a Frontlijn user (rows name their actor; anonymous callers are not logged).</summary>
    public bool IsKnownUser => user.IsKnown || user.IsResident;

    // Per statement: SQLite allows 32766 parameters, SQL Server 2100; ten per row.
    private const int RowsPerStatement = 200;

    // actor_member_id: a resident (a household member signed in to the portal) is the actor; actor_id is then NULL.
    private const string Columns = "id, occurred_at, actor_id, actor_member_id, on_behalf_of, action, object_type, object_id, household_id, result, origin";

    internal const string InsertSql = "INSERT INTO access_log (" + Columns + ", actor_organisation_id)\n" + """
        VALUES (@id, @occurredAt, @actorId, @actorMemberId, @onBehalfOf, @action, @objectType, @objectId, @householdId, @result, @origin,
                @actorOrganisationId)
        """;

    // PostgreSQL: the rows of a listing from four parallel arrays (WriteListedAsync), in one statement of any length.
    internal const string PostgresListedInsertSql = "INSERT INTO access_log (" + Columns + ")\n" + """
        SELECT u.id, @occurredAt, @actorId, @actorMemberId, u.on_behalf_of, @action, @objectType, u.object_id, u.household_id,
               @result, @origin
        FROM unnest(@ids, @onBehalfOf, @objectIds, @householdIds) AS u(id, on_behalf_of, object_id, household_id)
        """;

    /// <summary>
    /// The organisation that acts in this scope without a Frontlijn account (through its reply link, Features/ReplyLinks):
    /// its rows name it as the actor (NEN 7513: every access has an actor), with no user.
    /// </summary>
    public Guid? ActingOrganisationId { get; set; }

    /// <param name="action">create, read, update, assign, close, match, list.</param>
    /// <param name="objectType">household, coach-assignment, coach-history, signal, access-log.</param>
    /// <param name="onBehalfOf">When the caller already knows it (<see cref="OnBehalfOf"/>): the coach on whose behalf
    /// the caller acts on this household, or none; otherwise it is looked up.</param>
    public async Task WriteAsync(string action, string objectType, Guid? objectId, Guid? householdId, CancellationToken ct,
        string result = Success, OnBehalfOf? onBehalfOf = null)
    {
        var row = await RowAsync(action, objectType, objectId, householdId, result, ct, onBehalfOf);
        if (result == Denied && db.Transaction is not null)
        {
            afterUnitOfWork.Enqueue((session, token) => session.ExecuteBoundAsync(InsertSql, row.Bind, token));
            return;
        }
        await db.ExecuteBoundAsync(InsertSql, row.Bind, ct);
    }

    /// <summary>
    /// A success row that the caller writes in the same database command as its own change (<see cref="InsertSql"/>
    /// appended to the change's statements, bound by the returned action after the change's parameters): one round trip
    /// fewer than <see cref="WriteAsync"/> for the hottest change, request creation (issue 12). Only inside the
    /// command's transaction, where the row commits or rolls back with the change, exactly as <see cref="WriteAsync"/>
    /// would have written it there; the parameter names of <see cref="InsertSql"/> must not occur in the change's SQL.
    /// </summary>
    internal async Task<Action<DbCommand>> SuccessRowAsync(string action, string objectType, Guid? objectId, Guid? householdId,
        CancellationToken ct, OnBehalfOf? onBehalfOf = null)
    {
        if (db.Transaction is null) throw new InvalidOperationException("A row written with the change needs the change's unit of work.");
        var row = await RowAsync(action, objectType, objectId, householdId, Success, ct, onBehalfOf);
        return row.Bind;
    }

    /// <summary>
    /// Inside a command that may go on to refuse the caller (403: not their household to change, not their role for
    /// this step), prepares the denied row for this household; the unit of work writes it only if the command ends in
    /// such a refusal. A later <see cref="WriteAsync"/> of a denied row replaces it, so one refusal is one row.
    /// </summary>
    public async Task PrepareRefusalAsync(string action, string objectType, Guid objectId, Guid householdId, CancellationToken ct)
    {
        if (db.Transaction is null) return;
        var row = await RowAsync(action, objectType, objectId, householdId, Denied, ct);
        afterUnitOfWork.TraceRefusal((session, token) => session.ExecuteBoundAsync(InsertSql, row.Bind, token));
    }

    private async Task<Row> RowAsync(string action, string objectType, Guid? objectId, Guid? householdId, string result,
        CancellationToken ct, OnBehalfOf? known = null)
    {
        var onBehalfOf = known is { } k ? k.CoachId : householdId is { } h ? await standIns.OnBehalfOfAsync(h, ct) : null;
        return new Row(
            new ListedRows(time.GetUtcNow(), user.IsKnown ? user.Id : null, user.IsResident ? user.ResidentMemberId : null,
                action, objectType, Origin(), result),
            Guid.CreateVersion7(), onBehalfOf, objectId, householdId, ActingOrganisationId);
    }

    /// <summary>
    /// One row of <see cref="InsertSql"/>, bound on the provider's own command (issue 12: on every household read, the
    /// twelve parameters went through reflection, Dapper and, on PostgreSQL, Npgsql's type inference each time).
    /// </summary>
    private sealed record Row(ListedRows Common, Guid Id, Guid? OnBehalfOf, Guid? ObjectId, Guid? HouseholdId, Guid? ActorOrganisationId)
    {
        public void Bind(DbCommand command)
        {
            if (command is NpgsqlCommand)
            {
                Common.BindPostgres(command);
                command.Parameters.Add(new NpgsqlParameter<Guid>("id", NpgsqlDbType.Uuid) { TypedValue = Id });
                command.Parameters.Add(PostgresUuid("onBehalfOf", OnBehalfOf));
                command.Parameters.Add(PostgresUuid("objectId", ObjectId));
                command.Parameters.Add(PostgresUuid("householdId", HouseholdId));
                command.Parameters.Add(PostgresUuid("actorOrganisationId", ActorOrganisationId));
                return;
            }
            Common.Bind(command);
            AddValue(command, "id", Id);
            AddValue(command, "onBehalfOf", OnBehalfOf);
            AddValue(command, "objectId", ObjectId);
            AddValue(command, "householdId", HouseholdId);
            AddValue(command, "actorOrganisationId", ActorOrganisationId);
        }
    }

    /// <summary>
    /// One row per listed household (a report page, a caseload page, a CSV download), written set-based: one multi-row
    /// insert per 200 rows, instead of one autocommit insert per row. Up to 200 rows that is a single statement, atomic
    /// by itself, so outside a command it needs no transaction (no BEGIN/COMMIT round trips); more rows are written in
    /// one transaction (on the caller's, inside a command). <paramref name="ownHouseholds"/>: the caller is the current
    /// coach of every listed household (their own caseload), so no row can be on behalf of another coach and the
    /// stand-in lookup is skipped.
    /// </summary>
    public async Task WriteListedAsync(string action, string objectType, IReadOnlyCollection<(Guid? ObjectId, Guid? HouseholdId)> rows,
        CancellationToken ct, bool ownHouseholds = false)
    {
        if (rows.Count == 0) return;
        IReadOnlyDictionary<Guid, Guid> onBehalfOf = ownHouseholds
            ? new Dictionary<Guid, Guid>()
            : await standIns.OnBehalfOfAsync(
                rows.Where(r => r.HouseholdId is not null).Select(r => r.HouseholdId!.Value).Distinct().ToArray(), ct);
        var listed = new ListedRows(time.GetUtcNow(), user.IsKnown ? user.Id : null, user.IsResident ? user.ResidentMemberId : null,
            action, objectType, Origin());
        Guid? OnBehalfOfRow((Guid? ObjectId, Guid? HouseholdId) row) =>
            row.HouseholdId is { } h && onBehalfOf.TryGetValue(h, out var coach) ? coach : null;
        if (db.Dialect.Provider == DatabaseProvider.Postgres)
        {
            // One statement for any number of rows, with eight typed parameters (four of them arrays) instead of four
            // per row: Npgsql resolved the type of each of ~90 Dapper parameters on every caseload page, the
            // largest single piece of its CPU in the sampled trace (issue 12). One statement is atomic by itself, so
            // even a long list needs no transaction of its own.
            var ids = new Guid[rows.Count];
            var onBehalf = new Guid?[rows.Count];
            var objectIds = new Guid?[rows.Count];
            var householdIds = new Guid?[rows.Count];
            var i = 0;
            foreach (var row in rows)
            {
                ids[i] = Guid.CreateVersion7();
                onBehalf[i] = OnBehalfOfRow(row);
                objectIds[i] = row.ObjectId;
                householdIds[i] = row.HouseholdId;
                i++;
            }
            await db.ExecuteBoundAsync(PostgresListedInsertSql, command =>
            {
                listed.BindPostgres(command);
                command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = ids });
                command.Parameters.Add(new NpgsqlParameter<Guid?[]>("onBehalfOf", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = onBehalf });
                command.Parameters.Add(new NpgsqlParameter<Guid?[]>("objectIds", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = objectIds });
                command.Parameters.Add(new NpgsqlParameter<Guid?[]>("householdIds", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = householdIds });
            }, ct);
            return;
        }
        var ownTransaction = db.Transaction is null && rows.Count > RowsPerStatement;
        if (ownTransaction) await db.BeginAsync(ct);
        try
        {
            foreach (var chunk in rows.Chunk(RowsPerStatement))
            {
                // The provider's own parameters, bound as Dapper's type handlers bind them (DapperTypeHandlers), without
                // Dapper's per-parameter reflection and lookups: four per row, up to 200 rows (issue 12).
                await db.ExecuteBoundAsync(ListedInsertSql(chunk.Length), command =>
                {
                    listed.Bind(command);
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        var names = RowParameters[i];
                        AddValue(command, names.Id, Guid.CreateVersion7());
                        AddValue(command, names.OnBehalfOf, OnBehalfOfRow(chunk[i]));
                        AddValue(command, names.ObjectId, chunk[i].ObjectId);
                        AddValue(command, names.HouseholdId, chunk[i].HouseholdId);
                    }
                }, ct);
            }
            if (ownTransaction) await db.CommitAsync(ct);
        }
        catch
        {
            if (ownTransaction) await db.RollbackAsync();
            throw;
        }
    }

    /// <summary>What every row of one listing has in common (and a single row's actor, action and result).</summary>
    private sealed record ListedRows(DateTimeOffset OccurredAt, Guid? ActorId, Guid? ActorMemberId, string Action, string ObjectType,
        string Origin, string Result = Success)
    {
        public void BindPostgres(DbCommand command)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("occurredAt", NpgsqlDbType.TimestampTz) { TypedValue = OccurredAt.ToUniversalTime() });
            command.Parameters.Add(PostgresUuid("actorId", ActorId));
            command.Parameters.Add(PostgresUuid("actorMemberId", ActorMemberId));
            command.Parameters.Add(new NpgsqlParameter<string>("action", NpgsqlDbType.Text) { TypedValue = Action });
            command.Parameters.Add(new NpgsqlParameter<string>("objectType", NpgsqlDbType.Text) { TypedValue = ObjectType });
            command.Parameters.Add(new NpgsqlParameter<string>("result", NpgsqlDbType.Text) { TypedValue = Result });
            command.Parameters.Add(new NpgsqlParameter<string>("origin", NpgsqlDbType.Text) { TypedValue = Origin });
        }

        public void Bind(DbCommand command)
        {
            var occurredAt = command.CreateParameter();
            occurredAt.ParameterName = "occurredAt";
            if (command is SqliteCommand)
            {
                occurredAt.DbType = DbType.String;
                occurredAt.Value = DapperTypeHandlers.SqliteTimestamp(OccurredAt);
            }
            else
            {
                occurredAt.DbType = DbType.DateTimeOffset;
                occurredAt.Value = OccurredAt.ToUniversalTime();
            }
            command.Parameters.Add(occurredAt);
            AddValue(command, "actorId", ActorId);
            AddValue(command, "actorMemberId", ActorMemberId);
            AddText(command, "action", Action);
            AddText(command, "objectType", ObjectType);
            AddText(command, "result", Result);
            AddText(command, "origin", Origin);
        }
    }

    private static NpgsqlParameter PostgresUuid(string name, Guid? value) =>
        new(name, NpgsqlDbType.Uuid) { Value = (object?)value ?? DBNull.Value };

    // A uuid as DapperTypeHandlers binds it: the value itself (SQLite: its upper-case text), typed only for NULL.
    private static void AddValue(DbCommand command, string name, Guid? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (value is { } v)
        {
            parameter.Value = v;
        }
        else
        {
            parameter.DbType = DbType.Guid;
            parameter.Value = DBNull.Value;
        }
        command.Parameters.Add(parameter);
    }

    private static void AddText(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = DbType.String;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// The access-log row's <c>on_behalf_of</c> for a household whose current coach the caller has just read with it
    /// (<see cref="Households.HouseholdAccess"/>): none when it has no coach or the caller is that coach (nobody stands in
    /// for themselves: stand_ins CHECK), else that coach if the caller stands in for them now. The same answer as the
    /// per-household lookup, from the row already read, and for a coach's own household without a query (issue 12).
    /// </summary>
    public async Task<OnBehalfOf> OnBehalfOfCoachAsync(Guid? currentCoachId, CancellationToken ct) =>
        new(currentCoachId is { } coach && !(user.IsKnown && coach == user.Id) && await standIns.ActsForAsync(coach, ct)
            ? coach
            : null);

    /// <summary>An <c>on_behalf_of</c> that is already known (null: on nobody's behalf).</summary>
    public readonly record struct OnBehalfOf(Guid? CoachId);

    // The multi-row INSERT's text and its per-row parameter names, made once per row count instead of on every page
    // (issue 12); interned, so that the dialect's rendering of it is remembered too (SqlDialect.RenderCached).
    private static readonly string?[] ListedSql = new string?[RowsPerStatement + 1];

    private static readonly (string Id, string OnBehalfOf, string ObjectId, string HouseholdId)[] RowParameters =
        Enumerable.Range(0, RowsPerStatement).Select(i => i.ToString(CultureInfo.InvariantCulture))
            .Select(n => ("id" + n, "onBehalfOf" + n, "objectId" + n, "householdId" + n)).ToArray();

    private static string ListedInsertSql(int rows)
    {
        if (ListedSql[rows] is { } known) return known;
        var sql = new StringBuilder("INSERT INTO access_log (" + Columns + ") VALUES ");
        for (var i = 0; i < rows; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            if (i > 0) sql.Append(", ");
            sql.Append(CultureInfo.InvariantCulture,
                $"(@id{n}, @occurredAt, @actorId, @actorMemberId, @onBehalfOf{n}, @action, @objectType, @objectId{n}, @householdId{n}, @result, @origin)");
        }
        return ListedSql[rows] = string.Intern(sql.ToString());
    }

    /// <summary>The client's address for API calls; "system" for work without a caller (seeding, jobs).</summary>
    private string Origin()
    {
        var context = http.HttpContext;
        if (context is null) return "system";
        return context.Connection.RemoteIpAddress?.ToString() ?? "api";
    }
}
