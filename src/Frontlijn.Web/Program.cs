using Frontlijn.Web.Infrastructure;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;

// Frontlijn: `dotnet run` serves; `dotnet run -- migrate` applies migrations and exits;
// `dotnet run -- token <username>` prints a demo-mode bearer token and exits; `resident-token <bsn>` a demo resident's
// (issuer frontlijn-demo-residents, sub = the BSN; the demo seed's Sandra Bosma is 111222333).
// A verb is only ever the first argument, so an option value can never be mistaken for one.
Frontlijn.Web.Infrastructure.StartupTimeline.Mark("Main entered");
var verb = args.Length > 0 && args[0] is "migrate" or "token" or "resident-token" ? args[0] : null;
var builder = WebApplication.CreateBuilder(verb is null ? args : args[1..]);
if (verb is not null)
{
    builder.Configuration["Jobs:Enabled"] = "false";
}
StartupTimeline.Mark("builder created");
// `migrate` touches only the database: it must not need the identity provider's settings.
builder.AddFrontlijn(validateAuth: verb != "migrate");
StartupTimeline.Mark("services registered");
var app = builder.Build();
StartupTimeline.Mark("host built");

switch (verb)
{
    case "migrate":
        app.Services.GetRequiredService<Migrator>().Migrate();
        Console.WriteLine("Migrations applied.");
        return 0;
    case "token":
        var username = args.Length > 1 ? args[1] : null;
        if (string.IsNullOrWhiteSpace(username))
        {
            await Console.Error.WriteLineAsync("Usage: token <username>");
            return 2;
        }
        Console.WriteLine(DemoTokens.Issue(app.Services.GetRequiredService<AuthSettings>(), username, TimeProvider.System));
        return 0;
    case "resident-token":
        var bsn = args.Length > 1 ? args[1] : null;
        if (string.IsNullOrWhiteSpace(bsn))
        {
            await Console.Error.WriteLineAsync("Usage: resident-token <bsn>");
            return 2;
        }
        Console.WriteLine(DemoTokens.IssueResident(app.Services.GetRequiredService<AuthSettings>(), bsn, TimeProvider.System));
        return 0;
}

// Razor Pages' descriptors need no database: a second core builds them while PrepareAsync checks keys and migrations.
var pageDescriptors = StartupParallel.BuildPageDescriptorsAsync(app.Services);
await app.PrepareAsync();
await pageDescriptors;
app.UseFrontlijn();
StartupTimeline.Mark("pipeline and endpoints mapped");
app.Lifetime.ApplicationStarted.Register(() => StartupTimeline.Mark("host started (Kestrel listening)"));
await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
