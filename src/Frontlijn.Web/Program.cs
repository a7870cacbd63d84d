using Frontlijn.Web.Infrastructure;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;

// Frontlijn: `dotnet run` serves; `dotnet run -- migrate` applies migrations and exits;
// `dotnet run -- token <username>` prints a demo-mode bearer token and exits.
var verb = args.FirstOrDefault(a => !a.StartsWith('-')) is { } first && first is "migrate" or "token" ? first : null;
var builder = WebApplication.CreateBuilder(verb is null ? args : args.Where(a => a != verb).ToArray());
if (verb is not null)
{
    builder.Configuration["Jobs:Enabled"] = "false";
}
builder.AddFrontlijn();
var app = builder.Build();

switch (verb)
{
    case "migrate":
        app.Services.GetRequiredService<Migrator>().Migrate();
        Console.WriteLine("Migrations applied.");
        return 0;
    case "token":
        var username = args.SkipWhile(a => a != "token").Skip(1).FirstOrDefault(a => !a.StartsWith('-'));
        if (string.IsNullOrWhiteSpace(username))
        {
            await Console.Error.WriteLineAsync("Usage: token <username>");
            return 2;
        }
        Console.WriteLine(DemoTokens.Issue(app.Services.GetRequiredService<AuthSettings>(), username, TimeProvider.System));
        return 0;
}

await app.PrepareAsync();
app.UseFrontlijn();
await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
