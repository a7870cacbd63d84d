namespace Frontlijn.UnitTests;

/// <summary>The checked-out repository, found by walking up from the test binaries to the folder holding Frontlijn.sln.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<DirectoryInfo> RootDirectory = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Frontlijn.sln")))
            {
                return directory;
            }
        }
        throw new InvalidOperationException($"No Frontlijn.sln above {AppContext.BaseDirectory}.");
    });

    public static DirectoryInfo Root => RootDirectory.Value;

    public static DirectoryInfo MigrationsFolder(string folder) =>
        new(Path.Combine(Root.FullName, "db", "migrations", folder));
}
