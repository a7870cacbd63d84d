using System.Globalization;
using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Requests;

namespace Frontlijn.IntegrationTests.Requests;

[Collection(IntegrationGroup.Name)]
public sealed class RequestLifecycleTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SendRequest_OnTheThursdayBeforeGoodFriday_IsDueAfterEaster_InWorkingDays_WithItsOffset(string provider)
    {
        var app = await apps.ResetAsync(provider);
        // The next Thursday before Good Friday, 10:00 in Amsterdam (the clock only moves forward).
        var now = app.Clock.GetUtcNow();
        var thursday = Enumerable.Range(now.Year, 3).Select(y => WorkingDays.EasterSunday(y).AddDays(-3))
            .First(d => d > WorkingDays.LocalDate(now));
        RequestWorld.SetAmsterdamTime(app, thursday, new TimeOnly(10, 0));
        var w = await RequestWorld.CreateAsync(app);

        var normal = await w.SendAsync("normal");
        var urgent = await w.SendAsync("urgent");

        // Good Friday, the weekend and Easter Monday do not count: day 1 is the Tuesday after Easter, day 5 the Monday after.
        static string EndOf(DateOnly d)
        {
            var local = d.ToDateTime(new TimeOnly(23, 59, 59));
            return new DateTimeOffset(local, WorkingDays.Amsterdam.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        }
        Assert.Equal(EndOf(thursday.AddDays(11)), normal["dueAt"]!.GetValue<string>());
        Assert.Equal(EndOf(thursday.AddDays(5)), urgent["dueAt"]!.GetValue<string>());
        Assert.Equal("sent", normal["status"]!.GetValue<string>());
        Assert.Equal(1, normal["version"]!.GetValue<int>());
        Assert.Equal(w.ConsentId, normal.Id("consentId"));

        var read = await w.GetAsync(normal.Id());
        Assert.Equal(normal["dueAt"]!.GetValue<string>(), read["dueAt"]!.GetValue<string>());
        Assert.False(read["overdue"]!.GetValue<bool>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EveryLegalTransition_AppliesOnce_BumpsTheVersion_AndIsInTheHistory(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);

        // sent → acknowledged → suspended → resumed (back to acknowledged) → extended → answered
        var a = (await w.SendAsync()).Id();
        var sentDue = (await w.GetAsync(a))["dueAt"]!.GetValue<DateTimeOffset>();
        await w.ValidChangeAsync(a, "acknowledged", 1);
        var suspendedAt = app.Clock.GetUtcNow();
        await w.ValidChangeAsync(a, "suspended", 2);
        Assert.Equal("suspended", (await w.GetAsync(a))["status"]!.GetValue<string>());
        app.Clock.Advance(TimeSpan.FromDays(7));
        var resumed = await w.ValidChangeAsync(a, "resumed", 3);
        Assert.Equal("acknowledged", resumed["toStatus"]!.GetValue<string>());
        // The working days of that week (fewer when a holiday fell in it) are added back to the due date.
        var expectedDue = new WorkingDays().ExtendBySuspension(sentDue, suspendedAt, app.Clock.GetUtcNow());
        Assert.Equal(expectedDue, resumed["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.True(expectedDue > sentDue, "the due date moved");
        var extended = await w.ValidChangeAsync(a, "extended", 4);
        Assert.Equal(RequestWorld.Today(app).AddDays(60), WorkingDays.LocalDate(extended["dueAt"]!.GetValue<DateTimeOffset>()));
        var answered = await w.ValidChangeAsync(a, "answered", 5);
        Assert.Equal(6, answered["version"]!.GetValue<int>());
        var detail = await w.GetAsync(a);
        Assert.Equal("answered", detail["status"]!.GetValue<string>());
        Assert.Equal("Intake gepland op dinsdag.", detail["answer"]!.GetValue<string>());
        Assert.Equal(6, detail["version"]!.GetValue<int>());
        var history = await w.Coach.GetAsync($"/api/v1/requests/{a}/status-changes").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["sent", "acknowledged", "suspended", "resumed", "extended", "answered"],
            history["items"]!.AsArray().Select(h => h!["change"]!.GetValue<string>()));
        Assert.Equal([1, 2, 3, 4, 5, 6], history["items"]!.AsArray().Select(h => h!["version"]!.GetValue<int>()));

        // sent → suspended → resumed (back to sent) → withdrawn by the coach
        var b = (await w.SendAsync()).Id();
        await w.ValidChangeAsync(b, "suspended", 1);
        Assert.Equal("sent", (await w.ValidChangeAsync(b, "resumed", 2))["toStatus"]!.GetValue<string>());
        Assert.Equal("withdrawn", (await w.ValidChangeAsync(b, "withdrawn", 3))["toStatus"]!.GetValue<string>());

        // sent → acknowledged → declined (with a reason code); acknowledged → withdrawn; sent → extended
        var c = (await w.SendAsync()).Id();
        await w.ValidChangeAsync(c, "acknowledged", 1);
        await w.ValidChangeAsync(c, "declined", 2);
        Assert.Equal("buiten-doelgroep", (await w.GetAsync(c))["declineReasonCode"]!.GetValue<string>());
        var d = (await w.SendAsync()).Id();
        await w.ValidChangeAsync(d, "acknowledged", 1);
        await w.ValidChangeAsync(d, "withdrawn", 2);
        var e = (await w.SendAsync()).Id();
        await w.ValidChangeAsync(e, "extended", 1);

        // Handling a request makes the organisation and its professional involved with the household (once).
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM involvements WHERE household_id = @householdId AND organisation_id = @organisationId AND ended_at IS NULL",
            new { householdId = w.HouseholdId, organisationId = w.S.OrganisationId }));
    }

    public static TheoryData<string, string> IllegalTransitions()
    {
        var data = new TheoryData<string, string>();
        var allowed = new Dictionary<string, string[]>
        {
            ["sent"] = ["acknowledged", "withdrawn", "suspended", "extended"],
            ["acknowledged"] = ["answered", "declined", "withdrawn", "suspended", "extended"],
            ["suspended"] = ["resumed"],
            ["answered"] = [],
            ["declined"] = [],
            ["withdrawn"] = [],
        };
        string[] changes = ["acknowledged", "answered", "declined", "withdrawn", "suspended", "resumed", "extended"];
        foreach (var provider in Providers.All)
        {
            data.Add(provider, string.Join(';', allowed.SelectMany(a => changes.Except(a.Value).Select(c => $"{a.Key}>{c}"))));
        }
        return data;
    }

    [Theory, MemberData(nameof(IllegalTransitions))]
    public async Task EveryIllegalTransition_Is409_AndChangesNothing(string provider, string transitions)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        // One request in each status, reached by legal changes.
        var paths = new Dictionary<string, string[]>
        {
            ["sent"] = [],
            ["acknowledged"] = ["acknowledged"],
            ["suspended"] = ["suspended"],
            ["answered"] = ["acknowledged", "answered"],
            ["declined"] = ["acknowledged", "declined"],
            ["withdrawn"] = ["withdrawn"],
        };
        var inStatus = new Dictionary<string, (Guid Id, int Version)>();
        foreach (var (status, path) in paths)
        {
            var id = (await w.SendAsync()).Id();
            var version = 1;
            foreach (var change in path) await w.ValidChangeAsync(id, change, version++);
            Assert.Equal(status, (await w.GetAsync(id))["status"]!.GetValue<string>());
            inStatus[status] = (id, version);
        }

        var pairs = transitions.Split(';').Select(t => t.Split('>')).ToList();
        Assert.Equal(32, pairs.Count);
        foreach (var pair in pairs)
        {
            var (id, version) = inStatus[pair[0]];
            var problem = await w.ValidChangeAsync(id, pair[1], version, HttpStatusCode.Conflict);
            Assert.Contains($"'{pair[0]}'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            var after = await w.GetAsync(id);
            Assert.Equal(pair[0], after["status"]!.GetValue<string>());
            Assert.Equal(version, after["version"]!.GetValue<int>());
        }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TwentyConcurrentChanges_WithTheSameVersion_ExactlyOneWins_TheOthersGet409(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var id = (await w.SendAsync()).Id();
        var backOffice = w.BackOffice;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            backOffice.PostJson($"/api/v1/requests/{id}/status-changes", new { status = "acknowledged", expectedVersion = 1 })));
        var codes = responses.Select(r => r.StatusCode).ToList();
        foreach (var response in responses)
        {
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                Http.AssertProblem(response, await response.Content.ReadAsStringAsync(), 409);
            }
            response.Dispose();
        }

        Assert.Equal(1, codes.Count(c => c == HttpStatusCode.Created));
        Assert.Equal(19, codes.Count(c => c == HttpStatusCode.Conflict));
        Assert.Equal(2, (await w.GetAsync(id))["version"]!.GetValue<int>());
        Assert.Equal(2, await app.ScalarAsync<int>("SELECT COUNT(*) FROM request_status_changes WHERE request_id = @id", new { id }));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_inbox WHERE request_id = @id AND type = 'nl.frontlijn.request.acknowledged'", new { id }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task StatusChanges_CheckRoleFieldsAndVersion(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var id = (await w.SendAsync()).Id();

        // Roles: the coach does not acknowledge; the back office does not withdraw.
        await w.ChangeAsync(id, "acknowledged", 1, HttpStatusCode.Forbidden, by: w.Coach);
        await w.ChangeAsync(id, "withdrawn", 1, HttpStatusCode.Forbidden);
        await w.ChangeAsync(id, "withdrawn", 1, HttpStatusCode.Forbidden, by: app.ClientFor(w.S.SecondCoach));
        // Fields: every problem at once, and nothing changed.
        var problem = await w.BackOffice.PostJson($"/api/v1/requests/{id}/status-changes", new { status = "finished" })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["status"]);
        Assert.NotNull(problem["errors"]!["expectedVersion"]);
        await w.ChangeAsync(id, "declined", 1, HttpStatusCode.BadRequest);
        await w.ChangeAsync(id, "suspended", 1, HttpStatusCode.BadRequest);
        await w.ChangeAsync(id, "extended", 1, HttpStatusCode.BadRequest, note: "Meer tijd");
        await w.ChangeAsync(id, "extended", 1, HttpStatusCode.BadRequest, note: "Eerder", newDueAt: RequestWorld.Today(app).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await w.ChangeAsync(id, "extended", 1, HttpStatusCode.BadRequest, note: "Ver weg", newDueAt: "9999-12-31T23:59:59Z");
        await w.ChangeAsync(id, "acknowledged", 1, HttpStatusCode.BadRequest, answer: "te vroeg");
        await w.BackOffice.PostRaw($"/api/v1/requests/{id}/status-changes", "{\"status\": \"acknowledged\", \"expectedVersion\": \"1\"}")
            .ExpectAsync(HttpStatusCode.BadRequest);
        // Version: a stale one is refused with the current one.
        var stale = await w.ChangeAsync(id, "acknowledged", 7, HttpStatusCode.Conflict);
        Assert.Equal(1, stale["currentVersion"]!.GetValue<int>());
        Assert.Equal(1, (await w.GetAsync(id))["version"]!.GetValue<int>());
        await w.ChangeAsync(Guid.CreateVersion7(), "acknowledged", 1, HttpStatusCode.NotFound);
    }
}
