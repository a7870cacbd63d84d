using System.Diagnostics;

namespace Frontlijn.IntegrationTests.Infrastructure;

/// <summary>
/// A real server the tests run under Node from a folder of the repository (tests/oidc-provider, tests/smtp-server):
/// finding that folder and node, and <c>npm ci</c> when its node_modules is missing (scripts/test.sh normally did it
/// already). Every failure names what is missing; under CI=true the tests that need the tool fail, never skip.
/// </summary>
internal sealed class NodeTestTool(string folder, string marker, string purpose)
{
    // One npm ci at a time, whichever tool: parallel test classes must not install into the same folder at once.
    private static readonly SemaphoreSlim Install = new(1, 1);

    /// <summary>tests/&lt;folder&gt;, found above the test binaries by its <paramref name="marker"/> script.</summary>
    public string Directory { get; } = FindDirectory(folder, marker, purpose);

    public string Node() =>
        FindExecutable("node") ?? throw Missing("node (Node.js) is not on PATH; install it with `apt-get install -y nodejs npm`");

    /// <param name="packages">The packages whose presence in node_modules means the install is done.</param>
    public async Task EnsureInstalledAsync(params string[] packages)
    {
        await Install.WaitAsync();
        try
        {
            if (packages.All(p => File.Exists(Path.Combine(Directory, "node_modules", p, "package.json")))) return;
            var npm = FindExecutable("npm") ?? throw Missing($"npm is not on PATH and tests/{folder}/node_modules is missing");
            var start = new ProcessStartInfo(npm, "ci --no-audit --no-fund")
            {
                WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            if (process.ExitCode != 0) throw Missing($"`npm ci` in {Directory} failed: {await stdout}{await stderr}");
        }
        finally
        {
            Install.Release();
        }
    }

    public InvalidOperationException Missing(string what) => Missing(purpose, what);

    private static InvalidOperationException Missing(string purpose, string what) =>
        new($"The {purpose} tests cannot run: {what}." + (Providers.InCi ? " (CI=true: these tests never skip.)" : ""));

    private static string? FindExecutable(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return File.Exists($"/usr/bin/{name}") ? $"/usr/bin/{name}" : null;
    }

    private static string FindDirectory(string folder, string marker, string purpose)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "tests", folder, marker)))
        {
            directory = directory.Parent;
        }
        return directory is null
            ? throw Missing(purpose, $"tests/{folder}/{marker} was not found above " + AppContext.BaseDirectory)
            : Path.Combine(directory.FullName, "tests", folder);
    }
}
