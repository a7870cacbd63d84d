using System.Globalization;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Frontlijn.Bench;

/// <summary>The storage kinds the generator writes; each database maps them as the service's own code does.</summary>
internal enum Col
{
    Uuid,
    Text,
    Int,
    Timestamp,
    Date,
}

/// <summary>A table the generator fills, with the columns it writes (the others keep their defaults).</summary>
internal sealed record Table(string Name, (string Name, Col Kind)[] Columns)
{
    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));

    public static readonly Table Neighbourhoods = new("neighbourhoods",
        [("id", Col.Uuid), ("code", Col.Text), ("name", Col.Text), ("municipality", Col.Text), ("created_at", Col.Timestamp)]);
    public static readonly Table Teams = new("teams", [("id", Col.Uuid), ("name", Col.Text), ("created_at", Col.Timestamp)]);
    public static readonly Table TeamNeighbourhoods = new("team_neighbourhoods", [("team_id", Col.Uuid), ("neighbourhood_id", Col.Uuid)]);
    public static readonly Table Organisations = new("organisations",
        [("id", Col.Uuid), ("name", Col.Text), ("kind", Col.Text), ("created_at", Col.Timestamp)]);
    public static readonly Table OrganisationServices = new("organisation_services",
        [("id", Col.Uuid), ("organisation_id", Col.Uuid), ("code", Col.Text), ("name", Col.Text), ("response_days", Col.Int),
         ("urgent_response_days", Col.Int)]);
    public static readonly Table Users = new("users",
        [("id", Col.Uuid), ("username", Col.Text), ("display_name", Col.Text), ("role", Col.Text), ("team_id", Col.Uuid),
         ("organisation_id", Col.Uuid), ("max_caseload", Col.Int), ("created_at", Col.Timestamp)]);
    public static readonly Table Households = new("households",
        [("id", Col.Uuid), ("neighbourhood_id", Col.Uuid), ("team_id", Col.Uuid), ("street", Col.Text), ("house_number", Col.Int),
         ("house_number_suffix", Col.Text), ("postal_code", Col.Text), ("city", Col.Text), ("status", Col.Text),
         ("closure_reason", Col.Text), ("registered_by", Col.Uuid), ("created_at", Col.Timestamp), ("closed_at", Col.Timestamp),
         ("version", Col.Int)]);
    public static readonly Table HouseholdMembers = new("household_members",
        [("id", Col.Uuid), ("household_id", Col.Uuid), ("given_name", Col.Text), ("family_name", Col.Text),
         ("family_name_key", Col.Text), ("date_of_birth", Col.Date), ("role", Col.Text), ("bsn_hash", Col.Text),
         ("bsn_last4", Col.Text), ("created_at", Col.Timestamp)]);
    public static readonly Table CoachAssignments = new("coach_assignments",
        [("id", Col.Uuid), ("household_id", Col.Uuid), ("coach_id", Col.Uuid), ("from_at", Col.Timestamp), ("to_at", Col.Timestamp),
         ("reason", Col.Text), ("end_reason", Col.Text), ("assigned_by", Col.Uuid)]);
    public static readonly Table Involvements = new("involvements",
        [("id", Col.Uuid), ("household_id", Col.Uuid), ("organisation_id", Col.Uuid), ("professional_id", Col.Uuid),
         ("source", Col.Text), ("since", Col.Timestamp), ("last_activity_at", Col.Timestamp), ("ended_at", Col.Timestamp),
         ("end_reason", Col.Text), ("provider_name", Col.Text), ("provider_key", Col.Text), ("professional_name", Col.Text),
         ("recorded_by", Col.Uuid)]);
    public static readonly Table Requests = new("requests",
        [("id", Col.Uuid), ("household_id", Col.Uuid), ("organisation_id", Col.Uuid), ("service_code", Col.Text),
         ("question", Col.Text), ("urgency", Col.Text), ("legal_basis", Col.Text), ("sent_by", Col.Uuid), ("status", Col.Text),
         ("status_before_suspension", Col.Text), ("version", Col.Int), ("sent_at", Col.Timestamp), ("due_at", Col.Timestamp),
         ("suspended_at", Col.Timestamp), ("answer", Col.Text), ("decline_reason_code", Col.Text), ("closed_at", Col.Timestamp),
         ("updated_at", Col.Timestamp), ("reminded_at", Col.Timestamp), ("overdue_at", Col.Timestamp),
         ("escalation_level", Col.Int), ("escalated_at", Col.Timestamp)]);
    public static readonly Table RequestStatusChanges = new("request_status_changes",
        [("id", Col.Uuid), ("request_id", Col.Uuid), ("version", Col.Int), ("change_kind", Col.Text), ("from_status", Col.Text),
         ("to_status", Col.Text), ("note", Col.Text), ("reason_code", Col.Text), ("due_at", Col.Timestamp), ("changed_by", Col.Uuid),
         ("changed_at", Col.Timestamp)]);
    public static readonly Table FamilyPlans = new("family_plans",
        [("household_id", Col.Uuid), ("review_on", Col.Date), ("last_reviewed_at", Col.Timestamp), ("created_at", Col.Timestamp),
         ("updated_at", Col.Timestamp)]);
    public static readonly Table PlanGoals = new("plan_goals",
        [("id", Col.Uuid), ("household_id", Col.Uuid), ("domain", Col.Text), ("description", Col.Text), ("status", Col.Text),
         ("created_by", Col.Uuid), ("created_at", Col.Timestamp), ("closed_on", Col.Date)]);
    public static readonly Table Assessments = new("assessments",
        [("id", Col.Uuid), ("household_id", Col.Uuid), ("member_id", Col.Uuid), ("phase", Col.Text), ("assessed_on", Col.Date),
         ("assessor_id", Col.Uuid), ("instrument_version", Col.Text), ("created_at", Col.Timestamp)]);
    public static readonly Table AssessmentScores = new("assessment_scores",
        [("assessment_id", Col.Uuid), ("domain", Col.Text), ("score", Col.Int)]);

    /// <summary>Parents before children: the order rows are written in (foreign keys stay on during the load).</summary>
    public static readonly Table[] HouseholdTables =
    [
        Households, HouseholdMembers, CoachAssignments, Involvements, Requests, RequestStatusChanges, FamilyPlans, PlanGoals,
        Assessments, AssessmentScores,
    ];

    public static readonly Table[] All =
        [Neighbourhoods, Teams, TeamNeighbourhoods, Organisations, OrganisationServices, Users, .. HouseholdTables];
}

/// <summary>Writes batches of rows into a database as fast as it allows, foreign keys and indexes in place.</summary>
internal interface IBulkSink : IAsyncDisposable
{
    Task WriteAsync(Table table, List<object?[]> rows);
    Task CompleteAsync();
}

/// <summary>PostgreSQL: one binary COPY per table per batch (synchronous writes: per-value awaits cost more than they save).</summary>
internal sealed class PostgresSink(NpgsqlConnection connection) : IBulkSink
{
    public async Task WriteAsync(Table table, List<object?[]> rows)
    {
        if (rows.Count == 0) return;
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {table.Name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            importer.StartRow();
            for (var c = 0; c < row.Length; c++)
            {
                var value = row[c];
                if (value is null)
                {
                    importer.WriteNull();
                    continue;
                }
                switch (table.Columns[c].Kind)
                {
                    case Col.Uuid: importer.Write((Guid)value, NpgsqlDbType.Uuid); break;
                    case Col.Text: importer.Write((string)value, NpgsqlDbType.Text); break;
                    case Col.Int: importer.Write((int)value, NpgsqlDbType.Integer); break;
                    case Col.Timestamp: importer.Write(((DateTimeOffset)value).ToUniversalTime(), NpgsqlDbType.TimestampTz); break;
                    case Col.Date: importer.Write((DateOnly)value, NpgsqlDbType.Date); break;
                    default: throw new InvalidOperationException($"Unknown column kind {table.Columns[c].Kind}.");
                }
            }
        }
        await importer.CompleteAsync();
    }

    public Task CompleteAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// SQLite: one transaction for the whole load, one prepared INSERT per table reused for every row; values stored as
/// the service stores them (uuids bound natively, timestamps and dates as canonical text, see DapperTypeHandlers).
/// </summary>
internal sealed class SqliteSink : IBulkSink
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Dictionary<Table, SqliteCommand> _commands = [];

    public SqliteSink(SqliteConnection connection)
    {
        _connection = connection;
        using (var pragma = connection.CreateCommand())
        {
            // During the load only: this connection is closed afterwards and the file keeps the service's settings (WAL).
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;";
            pragma.ExecuteNonQuery();
        }
        _transaction = connection.BeginTransaction();
    }

    private SqliteCommand CommandFor(Table table)
    {
        if (_commands.TryGetValue(table, out var command)) return command;
        command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = $"INSERT INTO {table.Name} ({table.ColumnList}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        for (var i = 0; i < table.Columns.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "$p" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        _commands[table] = command;
        return command;
    }

    public Task WriteAsync(Table table, List<object?[]> rows)
    {
        if (rows.Count == 0) return Task.CompletedTask;
        var command = CommandFor(table);
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                command.Parameters[c].Value = row[c] switch
                {
                    null => DBNull.Value,
                    DateTimeOffset t => DapperTypeHandlers.SqliteTimestamp(t),
                    DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    var v => v,
                };
            }
            command.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    public Task CompleteAsync()
    {
        _transaction.Commit();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values) await command.DisposeAsync();
        await _transaction.DisposeAsync();
    }
}
