using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Frontlijn.Web.Features.Rights;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Rights;

/// <summary>
/// Retention and erasure (SPEC "The household's rights"; Selectielijst gemeenten 2020: schuldhulp 5, default 15,
/// jeugd 20 years from closure). Each test runs its own app (the clock moves decades ahead, which must not reach the
/// shared apps). Households are closed through the API; the sweep is run as Hangfire would, with the fake clock moved;
/// the expected set is derived in the test from the closure dates and each household's organisations, not read from
/// the implementation.
/// </summary>
public sealed class RetentionTests
{
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record World(TestApp App, Scenario S, Guid JeugdOrganisationId)
    {
        public HttpClient Coach => App.ClientFor(S.Coach);
        public HttpClient Admin => App.ClientFor("admin");
        public DateOnly Today => RequestWorld.Today(App);

        public static async Task<World> CreateAsync(TestApp app)
        {
            var s = await Scenario.CreateAsync(app);
            var jeugd = await app.ClientFor("admin").PostJson("/api/v1/organisations", new
            {
                name = "Jeugdzorg Fryslân", kind = "jeugdzorg",
                services = new[] { new { code = "jeugdhulp-advies", name = "Advies jeugdhulp", responseDays = 5, urgentResponseDays = 1 } },
            }).ExpectAsync(HttpStatusCode.Created);
            return new World(app, s, jeugd.Id());
        }

        /// <summary>A household with a request to the schuldhulp (answered, with a thread) and a signal; optionally a jeugdzorg involvement.</summary>
        public async Task<(Guid Household, Guid Request)> HouseholdAsync(int houseNumber, bool schuldhulp = true, bool jeugd = false)
        {
            var household = await Coach.RegisterHouseholdAsync(S.NeighbourhoodId, houseNumber: houseNumber, bsn: null, familyName: $"Gezin{houseNumber}");
            var id = household.Id();
            var request = Guid.Empty;
            if (schuldhulp)
            {
                request = (await Coach.PostJson("/api/v1/requests", new
                {
                    householdId = id, organisationId = S.OrganisationId, serviceCode = RequestWorld.Service,
                    question = $"Vraag over gezin {houseNumber}", urgency = "normal", legalBasis = "wettelijke-taak-wgs",
                }).ExpectAsync(HttpStatusCode.Created)).Id();
                var bo = App.ClientFor(S.BackOffice);
                await bo.PostJson($"/api/v1/requests/{request}/messages", new { text = $"Bericht over gezin {houseNumber}" }).ExpectAsync(HttpStatusCode.Created);
                await bo.PostJson($"/api/v1/requests/{request}/status-changes", new { status = "acknowledged", expectedVersion = 1 }).ExpectAsync(HttpStatusCode.Created);
                await bo.PostJson($"/api/v1/requests/{request}/status-changes", new { status = "answered", answer = $"Antwoord voor gezin {houseNumber}", expectedVersion = 2 })
                    .ExpectAsync(HttpStatusCode.Created);
            }
            if (jeugd)
            {
                await Coach.PostJson($"/api/v1/households/{id}/involvements", new { organisationId = JeugdOrganisationId, since = D(Today.AddDays(-10)) })
                    .ExpectAsync(HttpStatusCode.Created);
            }
            else
            {
                await Coach.PostJson($"/api/v1/households/{id}/involvements", new { providerName = "Huisarts De Linde", since = D(Today.AddDays(-10)) })
                    .ExpectAsync(HttpStatusCode.Created);
            }
            await Coach.PostJson($"/api/v1/households/{id}/plan/goals", new { domain = "financien", description = $"Doel van gezin {houseNumber}" })
                .ExpectAsync(HttpStatusCode.Created);
            await App.ClientFor(S.BackOffice).PostJson("/api/v1/signals", Builders.ASignal(Builders.Address(houseNumber: houseNumber), $"Zorg om gezin {houseNumber}"))
                .ExpectAsync(HttpStatusCode.Created);
            return (id, request);
        }

        public async Task CloseAsync(Guid household)
        {
            await Coach.PostJson($"/api/v1/households/{household}/closure", new { reason = "Doelen bereikt" }).ExpectAsync(HttpStatusCode.OK);
            await Coach.PostJson($"/api/v1/households/{household}/closure", new { reason = "Eindevaluatie gedaan" }).ExpectAsync(HttpStatusCode.OK);
        }

        public async Task<RetentionSweep.Outcome> SweepAsync(TestApp? node = null)
        {
            await using var scope = (node ?? App).Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RetentionSweep>().RunAsync(CancellationToken.None);
        }

        /// <summary>The team lead's two period reports over the closure period, as JSON text (the CSV would do as well).</summary>
        public async Task<string> ReportsAsync(DateOnly from, DateOnly to)
        {
            var lead = App.ClientFor(S.TeamLead);
            var team = await lead.GetAsync($"/api/v1/reports/team?from={D(from)}&to={D(to)}").ExpectAsync(HttpStatusCode.OK);
            var providers = await lead.GetAsync($"/api/v1/reports/providers-per-household?from={D(from)}&to={D(to)}&pageSize=200")
                .ExpectAsync(HttpStatusCode.OK);
            return team.ToJsonString() + "\n" + providers.ToJsonString();
        }

        public void MoveTo(DateTimeOffset at) => App.Clock.SetUtcNow(at);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Sweep_ErasesExactlyTheHouseholdsPastTheirPeriod_NoneOnHold_AndTheReportsStillAddUp(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await World.CreateAsync(app);
        var from = w.Today.AddDays(-30);

        var (debt, debtRequest) = await w.HouseholdAsync(12);                         // schuldhulp → 5 years
        var (youth, _) = await w.HouseholdAsync(14, jeugd: true);                     // schuldhulp + jeugdzorg → 20 years
        var (plain, _) = await w.HouseholdAsync(16, schuldhulp: false);               // no organisation → default 15
        var (held, _) = await w.HouseholdAsync(18);                                   // schuldhulp, but on hold
        var (open, _) = await w.HouseholdAsync(20);                                   // never closed
        foreach (var h in new[] { debt, youth, plain, held }) await w.CloseAsync(h);
        var closedAt = app.Clock.GetUtcNow();
        var to = w.Today.AddDays(1);
        await w.Admin.PostJson($"/api/v1/households/{held}/legal-hold", new { reason = "Lopende procedure", until = D(w.Today.AddYears(30)) })
            .ExpectAsync(HttpStatusCode.Created);
        // A hold needs a reason and a date that has not passed: 400 with both, and nothing stored.
        var bad = await w.Admin.PostJson($"/api/v1/households/{open}/legal-hold", new { reason = "", until = D(w.Today.AddDays(-1)) })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["reason"]);
        Assert.NotNull(bad["errors"]!["until"]);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM legal_holds"));
        var reportsBefore = await w.ReportsAsync(from, to);

        // A day before five years: nothing is due yet, the list shows what comes within the month.
        w.MoveTo(closedAt.AddYears(5).AddDays(-1));
        Assert.Empty((await w.SweepAsync()).ErasedHouseholds);
        var soon = await w.Admin.GetAsync("/api/v1/retention/due?withinDays=30").ExpectAsync(HttpStatusCode.OK);
        var listed = soon["items"]!.AsArray().ToDictionary(i => i!["householdId"]!.GetValue<string>(), i => i!);
        Assert.Equal(new[] { debt, held }.Select(g => g.ToString()).Order(), listed.Keys.Order());
        Assert.False(listed[debt.ToString()]["due"]!.GetValue<bool>());
        Assert.Equal("schuldhulp", listed[debt.ToString()]["retentionDomain"]!.GetValue<string>());
        Assert.Equal(5, listed[debt.ToString()]["retentionYears"]!.GetValue<int>());
        Assert.Equal("Lopende procedure", listed[held.ToString()]["legalHold"]!["reason"]!.GetValue<string>());

        // Five years and a day: the schuldhulp household goes, the held one stays.
        w.MoveTo(closedAt.AddYears(5).AddDays(1));
        var due = await w.Admin.GetAsync("/api/v1/retention/due?withinDays=0").ExpectAsync(HttpStatusCode.OK);
        Assert.True(due["items"]!.AsArray().Single(i => i!["householdId"]!.GetValue<string>() == debt.ToString())!["due"]!.GetValue<bool>());
        Assert.Equal([debt], (await w.SweepAsync()).ErasedHouseholds);
        Assert.Empty((await w.SweepAsync()).ErasedHouseholds);   // idempotent

        // Its personal data are gone; the record that the reports count is there.
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM household_members WHERE household_id = @debt AND (family_name <> '' OR given_name IS NOT NULL OR date_of_birth IS NOT NULL)", new { debt }));
        Assert.Equal(2, await app.ScalarAsync<int>("SELECT COUNT(*) FROM household_members WHERE household_id = @debt", new { debt }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM households WHERE id = @debt AND (street <> '' OR postal_code <> '')", new { debt }));
        Assert.Equal("", await app.ScalarAsync<string>("SELECT question FROM requests WHERE id = @debtRequest", new { debtRequest }));
        Assert.Null(await app.ScalarAsync<string?>("SELECT answer FROM requests WHERE id = @debtRequest", new { debtRequest }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM request_messages WHERE request_id = @debtRequest", new { debtRequest }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM signals WHERE household_id = @debt AND (concern <> '' OR street <> '')", new { debt }));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM plan_goals WHERE household_id = @debt AND description <> ''", new { debt }));
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @debt AND action = 'erase'", new { debt }));
        // The others are untouched.
        foreach (var kept in new[] { youth, plain, held, open })
        {
            Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM household_members WHERE household_id = @kept AND family_name = ''", new { kept }));
            Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM signals WHERE household_id = @kept AND concern <> ''", new { kept }));
        }
        Assert.Equal(reportsBefore, await w.ReportsAsync(from, to));

        // An erased household answers 410 Gone on its endpoints; the others as before.
        var lead = app.ClientFor(w.S.TeamLead);
        foreach (var path in new[] { $"/api/v1/households/{debt}", $"/api/v1/households/{debt}/export", $"/api/v1/households/{debt}/plan",
                                     $"/api/v1/reports/household-outcomes/{debt}" })
        {
            await lead.GetAsync(path).ExpectAsync(HttpStatusCode.Gone);
        }
        await w.Coach.GetAsync($"/api/v1/requests/{debtRequest}").ExpectAsync(HttpStatusCode.Gone);
        await w.Admin.PostJson($"/api/v1/households/{debt}/legal-hold", new { reason = "Te laat", until = D(w.Today.AddYears(1)) })
            .ExpectAsync(HttpStatusCode.Gone);
        // Need-to-know still holds: another team's lead learns nothing (404, not 410).
        await app.ClientFor(w.S.OtherTeamLead).GetAsync($"/api/v1/households/{debt}").ExpectAsync(HttpStatusCode.NotFound);
        // The pages say it to a person in Dutch, with the same need-to-know.
        using (var browser = new Frontlijn.IntegrationTests.Sessions.CookieBrowser(app))
        {
            await browser.SignInAsync(w.S.TeamLead);
            foreach (var page in new[] { $"/huishoudens/{debt}", $"/huishoudens/{debt}/plan", $"/team/huishoudens/{debt}/toegangslog", $"/verzoeken/{debtRequest}" })
            {
                using var gone = await browser.GetAsync(page);
                Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
                Assert.Contains("Gegevens vernietigd", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            using var kept = await browser.GetAsync($"/huishoudens/{held}");
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }
        using (var other = new Frontlijn.IntegrationTests.Sessions.CookieBrowser(app))
        {
            await other.SignInAsync(w.S.OtherTeamLead);
            using var unknown = await other.GetAsync($"/huishoudens/{debt}");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        await lead.GetAsync($"/api/v1/households/{held}").ExpectAsync(HttpStatusCode.OK);
        // And it is no longer listed among the team's households.
        var list = await lead.GetAsync("/api/v1/households?pageSize=200").ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(list["items"]!.AsArray(), i => i!.Id() == debt);

        // Fifteen years and a day: the household without organisations; twenty: the one with jeugdzorg. The hold holds.
        w.MoveTo(closedAt.AddYears(15).AddDays(1));
        Assert.Equal([plain], (await w.SweepAsync()).ErasedHouseholds);
        w.MoveTo(closedAt.AddYears(20).AddDays(1));
        Assert.Equal([youth], (await w.SweepAsync()).ErasedHouseholds);
        Assert.Equal("jeugd", await app.ScalarAsync<string>("SELECT retention_domain FROM households WHERE id = @youth", new { youth }));
        Assert.Equal(reportsBefore, await w.ReportsAsync(from, to));
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM households WHERE erased_at IS NOT NULL AND id IN (@held, @open)", new { held, open }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Sweep_OnTwoNodesAtOnce_ErasesEachHouseholdOnce(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await World.CreateAsync(app);
        var households = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var (h, _) = await w.HouseholdAsync(30 + (2 * i));
            await w.CloseAsync(h);
            households.Add(h);
        }
        var later = app.Clock.GetUtcNow().AddYears(5).AddDays(1);
        await using var second = TestApp.StartNode(app);
        w.MoveTo(later);
        second.Clock.SetUtcNow(later);

        var outcomes = await Task.WhenAll(w.SweepAsync(), w.SweepAsync(second));
        var erased = outcomes.SelectMany(o => o.ErasedHouseholds).ToList();
        Assert.Equal(households.Order(), erased.Order());   // all of them, none twice
        Assert.Equal(6, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE action = 'erase'"));
        Assert.Equal(6, await app.ScalarAsync<int>("SELECT COUNT(*) FROM households WHERE erased_at IS NOT NULL"));
    }
}
