using System.Text.RegularExpressions;
using Frontlijn.UnitTests.Sql;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.UnitTests.Reports;

/// <summary>
/// The report summary (<see cref="HouseholdSummary"/>) is only as exact as its writers: every statement of the service
/// that changes what the summary is computed from must sit in a source file that refreshes the summary, and the
/// migration's backfill must be the same statement as the service's rebuild.
/// </summary>
public sealed partial class HouseholdSummaryTests
{
    // What the summary is computed from: any insert or delete of involvements or households, an update of an
    // involvement's provider, professional or dates, and an update of a household's scope columns. Touching
    // last_activity_at, the household's version or its address does not change it.
    [GeneratedRegex(@"\b(INSERT\s+INTO|DELETE\s+FROM)\s+(involvements|households)\b", RegexOptions.IgnoreCase)]
    private static partial Regex InsertsOrDeletes();

    [GeneratedRegex(@"\bUPDATE\s+involvements\s+SET\s+((?!\bWHERE\b).)*\b(since|ended_at|organisation_id|provider_key|professional_id|professional_name|household_id)\s*=",
        RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex UpdatesInvolvements();

    [GeneratedRegex(@"\bUPDATE\s+households\s+SET\s+((?!\bWHERE\b).)*\b(team_id|neighbourhood_id|status|created_at|closed_at)\s*=",
        RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex UpdatesHouseholds();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static List<string> WriterNames() => SqlStatements.All
        .Where(s => InsertsOrDeletes().IsMatch(s.Sql) || UpdatesInvolvements().IsMatch(s.Sql) || UpdatesHouseholds().IsMatch(s.Sql))
        .Select(s => s.Name)
        .ToList();

    public static TheoryData<string> Writers() => [.. WriterNames()];

    [Fact]
    public void TheWriterSearch_FindsTheKnownWriters()
    {
        var names = WriterNames();
        // An independent list of what the search must at least find: if it finds none of these, it finds nothing.
        foreach (var known in new[]
                 {
                     "Frontlijn.Web.Features.Involvements.RegisterInvolvement.InsertSql",
                     "Frontlijn.Web.Features.Involvements.EndInvolvement.EndSql",
                     "Frontlijn.Web.Features.Households.CloseHousehold.UpdateSql",
                     "Frontlijn.Web.Features.Signals.TriageSignal.HandOverSql",
                 })
        {
            Assert.Contains(known, names);
        }
        Assert.DoesNotContain("Frontlijn.Web.Features.Involvements.InvolvementRecorder.TouchSql", names);
        Assert.DoesNotContain("Frontlijn.Web.Features.Households.HouseholdAccess.LockSql", names);
    }

    [Theory, MemberData(nameof(Writers))]
    public void EveryWriter_RefreshesTheSummary(string statement)
    {
        // Namespace.Type[+Nested].Field → the file that declares the field.
        var typeName = statement[..statement.LastIndexOf('.')];
        var field = statement[(statement.LastIndexOf('.') + 1)..];
        var shortName = typeName[(typeName.LastIndexOf('.') + 1)..].Split('+')[0];
        var source = new DirectoryInfo(Path.Combine(RepositoryFiles.Root.FullName, "src")).EnumerateFiles("*.cs", SearchOption.AllDirectories)
            .Select(f => File.ReadAllText(f.FullName))
            .Where(text => Regex.IsMatch(text, $@"\bclass\s+{Regex.Escape(shortName)}\b") &&
                           Regex.IsMatch(text, $@"\bconst\s+string\s+{Regex.Escape(field)}\b"))
            .ToList();
        Assert.True(source.Count == 1, $"{statement}: expected one source file declaring it, found {source.Count}");
        // The summary's own statements write the summary itself.
        if (typeName == typeof(HouseholdSummary).FullName) return;
        Assert.True(source[0].Contains("HouseholdSummary.RefreshAsync(", StringComparison.Ordinal),
            $"{statement} changes what the report summary is computed from, but its file never calls HouseholdSummary.RefreshAsync");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void TheMigrationsBackfill_IsTheRebuildStatement(DatabaseProvider provider)
    {
        // 0023 ran the same rebuild before migration 0026 added the third to sixth ends and rebuilt the table with it.
        AssertBackfill(provider, "0026_report_summary_ends.sql", "INSERT INTO household_summaries", HouseholdSummary.RebuildAllSql);
        AssertBackfill(provider, "0025_household_provider_ends.sql", "INSERT INTO household_provider_ends", HouseholdSummary.RebuildAllEndsSql);
    }

    private static void AssertBackfill(DatabaseProvider provider, string name, string insert, string rebuild)
    {
        var file = new FileInfo(Path.Combine(RepositoryFiles.MigrationsFolder(Migrator.FolderOf(provider)).FullName, name));
        var text = File.ReadAllText(file.FullName);
        var at = text.IndexOf(insert, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{file.FullName} has no backfill");
        var backfill = text[at..].TrimEnd().TrimEnd(';');
        Assert.Equal(Whitespace().Replace(rebuild, " ").Trim(), Whitespace().Replace(backfill, " ").Trim());
    }

    // What takes the household's row lock in a source file: the lock of a change (HouseholdAccess.LockForChangeAsync),
    // the hold without a change, or a statement that writes the household row itself (its insert, a hand-over).
    [GeneratedRegex(@"LockForChangeAsync\(|HouseholdAccess\.HoldAsync\(|HoldAsync\(db,|INSERT\s+INTO\s+households\b|UPDATE\s+households\s+SET", RegexOptions.IgnoreCase)]
    private static partial Regex TakesTheHouseholdLock();

    public static TheoryData<string> SummaryLockers() =>
    [
        .. new DirectoryInfo(Path.Combine(RepositoryFiles.Root.FullName, "src")).EnumerateFiles("*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Name.StartsWith("DemoSeeder", StringComparison.Ordinal) && f.Name != "HouseholdSummary.cs")
            .Where(f => File.ReadAllText(f.FullName) is var text &&
                        (text.Contains("HouseholdSummary.RefreshAsync(", StringComparison.Ordinal) ||
                         text.Contains("RecordHandlingAsync(", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root.FullName, f.FullName)),
    ];

    [Theory, MemberData(nameof(SummaryLockers))]
    public void EverySummaryWriter_TakesTheHouseholdLock(string file)
    {
        // The lock order (household row, then the summary row) holds only if each transaction that refreshes the
        // summary, directly or through InvolvementRecorder, takes the household's lock in the same handler. The
        // recorder itself relies on its callers (RequestStatusChanger, PostRequestMessage) and says so.
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Root.FullName, file));
        if (file.EndsWith("InvolvementRecorder.cs", StringComparison.Ordinal))
        {
            Assert.Contains("HoldAsync", text, StringComparison.Ordinal);
            return;
        }
        Assert.True(TakesTheHouseholdLock().IsMatch(text), $"{file} refreshes the report summary without taking the household's row lock first");
    }
}
