using System.Text.RegularExpressions;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.UnitTests.Migrations;

/// <summary>
/// db/migrations/{sqlite,postgres,sqlserver} move in lockstep: the same numbered, forward-only scripts in each,
/// all of them embedded in the Web assembly (so a file on disk that the build does not embed is caught too).
/// </summary>
public sealed partial class MigrationParityTests
{
    public static TheoryData<DatabaseProvider> AllProviders => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres, DatabaseProvider.SqlServer];

    [GeneratedRegex(@"^\d{4}_[a-z0-9_]+\.sql$")]
    private static partial Regex ScriptName();

    private static List<string> Embedded(DatabaseProvider provider) =>
        Migrator.Scripts(provider).Select(s => s.Name).ToList();

    private static List<string> OnDisk(DatabaseProvider provider)
    {
        var folder = RepositoryFiles.MigrationsFolder(Migrator.FolderOf(provider));
        Assert.True(folder.Exists, $"Missing migrations folder {folder.FullName}");
        return folder.EnumerateFiles("*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder.FullName, f.FullName).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public void Migrations_EveryProviderHasTheSameScripts_Embedded()
    {
        var sqlite = Embedded(DatabaseProvider.Sqlite);
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, Embedded(DatabaseProvider.Postgres));
        Assert.Equal(sqlite, Embedded(DatabaseProvider.SqlServer));
    }

    [Fact]
    public void Migrations_EveryProviderHasTheSameScripts_OnDisk()
    {
        var sqlite = OnDisk(DatabaseProvider.Sqlite);
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, OnDisk(DatabaseProvider.Postgres));
        Assert.Equal(sqlite, OnDisk(DatabaseProvider.SqlServer));
    }

    [Theory, MemberData(nameof(AllProviders))]
    public void Migrations_EveryFileOnDisk_IsEmbedded_AndNothingElse(DatabaseProvider provider)
    {
        Assert.Equal(OnDisk(provider), Embedded(provider));
    }

    [Theory, MemberData(nameof(AllProviders))]
    public void Migrations_FileNames_AreNumberedSnakeCaseSql(DatabaseProvider provider)
    {
        var bad = OnDisk(provider).Concat(Embedded(provider)).Distinct().Where(n => !ScriptName().IsMatch(n)).ToList();
        Assert.True(bad.Count == 0,
            $"db/migrations/{Migrator.FolderOf(provider)}: names must match ^\\d{{4}}_[a-z0-9_]+\\.sql$ but got: {string.Join(", ", bad)}");
    }

    [Theory, MemberData(nameof(AllProviders))]
    public void Migrations_Numbers_AreUnique_AndScriptsAreNotEmpty(DatabaseProvider provider)
    {
        var scripts = Migrator.Scripts(provider);
        var duplicates = scripts.GroupBy(s => s.Name[..4]).Where(g => g.Count() > 1)
            .Select(g => string.Join(" and ", g.Select(s => s.Name))).ToList();
        Assert.True(duplicates.Count == 0, $"Two scripts share a number (their order is then accidental): {string.Join("; ", duplicates)}");
        Assert.All(scripts, s => Assert.False(string.IsNullOrWhiteSpace(s.Contents), $"{s.Name} is empty"));
    }
}
