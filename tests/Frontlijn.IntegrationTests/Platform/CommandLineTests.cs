using System.Diagnostics;
using System.IdentityModel.Tokens.Jwt;
using Microsoft.Data.Sqlite;

namespace Frontlijn.IntegrationTests.Platform;

/// <summary>The `migrate` and `token` verbs, run as a real process the way an operator runs them.</summary>
public sealed class CommandLineTests
{
    private static readonly string WebDll = Path.Combine(AppContext.BaseDirectory, "Frontlijn.Web.dll");

    [Fact]
    public async Task MigrateVerb_CreatesTheSchema_AndIsSafeToRunTwice()
    {
        var file = Path.Combine(Path.GetTempPath(), $"frontlijn-migrate-{Guid.NewGuid():N}.db");
        try
        {
            var env = new Dictionary<string, string>
            {
                ["Database__Provider"] = "sqlite",
                ["ConnectionStrings__Frontlijn"] = $"Data Source={file}",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Auth__Mode"] = "oidc", ["Auth__Authority"] = "https://login.example.nl", ["Auth__Audience"] = "frontlijn",
            };
            var (code1, output1) = await Run(env, "migrate");
            var (code2, _) = await Run(env, "migrate");
            Assert.True(code1 == 0, output1);
            Assert.Equal(0, code2);

            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND lower(name) IN ('users', 'teams', 'schemaversions')";
            Assert.Equal(3L, await command.ExecuteScalarAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TokenVerb_PrintsADemoToken_ForTheUsername()
    {
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Auth__DemoSigningKey"] = "a-test-signing-key-that-is-long-enough-0123",
        };
        var (code, output) = await Run(env, "token", "Coach.Anna");
        Assert.True(code == 0, output);
        var token = new JwtSecurityTokenHandler().ReadJwtToken(output.Trim().Split('\n')[^1].Trim());
        Assert.Equal("coach.anna", token.Subject);
        Assert.Equal("frontlijn-demo", token.Issuer);
        Assert.Contains("frontlijn", token.Audiences);
    }

    [Fact]
    public async Task DemoMode_RefusesToStartInProduction()
    {
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__Mode"] = "demo",
            ["Auth__DemoSigningKey"] = "a-test-signing-key-that-is-long-enough-0123",
        };
        var (code, output) = await Run(env, "token", "admin");
        Assert.NotEqual(0, code);
        Assert.Contains("refused in Production", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> Run(Dictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(WebDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in env) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
