using System.Globalization;
using System.Net;
using System.Text;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Reports;

/// <summary>
/// Report 1 answers most households from their summary row (<see cref="HouseholdSummary"/>) and the rest from their
/// involvements. Property test: a seeded random history (ReportWorld), then random changes through the API (involvements
/// registered and ended, closures, a reopening, a move to the other team with its hand-over), then the report of both
/// teams for many periods, each compared field by field with the report's definition computed again in C# over the raw
/// rows (<see cref="ProvidersPerHouseholdTests.ExpectedAsync"/>). The summary the writers kept must equal one rebuilt
/// from scratch by the migration's backfill statement.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class ProvidersSummaryTests(ProviderApps apps)
{
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Report_StaysExact_ForManyPeriods_ThroughChangesMovesClosuresAndReopening(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var world = await ReportWorld.CreateAsync(app, households: 14);
        var s = world.S;
        var random = new Random(20261201);
        var coach = app.ClientFor(s.Coach);
        var lead = app.ClientFor(s.TeamLead);
        var today = RequestWorld.Today(app);
        var names = new[] { "Joke", "Henk", null, "Fatma", "Sanne" };
        var outside = new[] { "Buurtteam De Wissel", "Humanitas", "Thuiszorg Noord", "Huisarts De Linde" };

        var statuses = new Dictionary<Guid, string>();
        foreach (var id in world.Households)
        {
            statuses[id] = await app.ScalarAsync<string>("SELECT status FROM households WHERE id = @id", new { id });
        }
        var open = world.Households.Where(h => statuses[h] != "closed").ToList();
        Assert.True(open.Count >= 6, "the seeded history should leave several households open");

        // Involvements registered and ended through the API, at random dates up to today.
        foreach (var household in open)
        {
            var path = $"/api/v1/households/{household}/involvements";
            var registered = new List<(Guid Id, DateOnly Since)>();
            for (var n = random.Next(0, 6); n > 0; n--)
            {
                var since = today.AddDays(-random.Next(0, 900));
                object body = random.Next(3) > 0
                    ? new { organisationId = world.Organisations[random.Next(world.Organisations.Count)], professionalName = names[random.Next(names.Length)], since = D(since) }
                    : new { providerName = outside[random.Next(outside.Length)], professionalName = names[random.Next(names.Length)], since = D(since) };
                var response = await coach.PostJson(path, body);
                // The same provider and professional open twice is refused (409); anything else must be created.
                if (response.StatusCode == HttpStatusCode.Conflict) continue;
                registered.Add(((await Task.FromResult(response).ExpectAsync(HttpStatusCode.Created)).Id(), since));
            }
            foreach (var (id, since) in registered.Where(_ => random.Next(2) == 0))
            {
                var endedOn = since.AddDays(random.Next(0, Math.Max(1, today.DayNumber - since.DayNumber + 1)));
                await coach.PostJson($"{path}/{id}/end", new { endedOn = D(endedOn <= today ? endedOn : today) }).ExpectAsync(HttpStatusCode.OK);
            }
        }

        // One household with five closed outside providers whose last ends straddle the default period's start: the
        // summary's three ends cannot settle how many ended in the period, so the report counts its ends.
        var straddling = open[1];
        foreach (var (name, endedDaysAgo) in new[] { ("Stichting Anker", 500), ("Vrijwilligers Oost", 420), ("Schuldhulp Twente", 200), ("Jeugdarts Noord", 90), ("Maatje Mee", 10) })
        {
            var path = $"/api/v1/households/{straddling}/involvements";
            var id = (await coach.PostJson(path, new { providerName = name, since = D(today.AddDays(-800)) }).ExpectAsync(HttpStatusCode.Created)).Id();
            await coach.PostJson($"{path}/{id}/end", new { endedOn = D(today.AddDays(-endedDaysAgo)) }).ExpectAsync(HttpStatusCode.OK);
        }

        // Two households with more closed providers: six whose ends straddle the default period's start (the row's
        // third to sixth ends settle the count), and ten with six ends after the start and four before it (the row
        // cannot settle it: the distribution counts its ends in a branch of its own, the page by a correlated count).
        var settledBySixEnds = open[^3];
        var unsettled = open[^2];
        foreach (var (household, ends) in new[]
        {
            (settledBySixEnds, new[] { 500, 420, 300, 200, 90, 10 }),
            (unsettled, new[] { 800, 700, 600, 500, 330, 250, 200, 120, 60, 10 }),
        })
        {
            var path = $"/api/v1/households/{household}/involvements";
            for (var n = 0; n < ends.Length; n++)
            {
                var id = (await coach.PostJson(path, new { providerName = $"Aanbieder {n + 1} van {ends.Length}", since = D(today.AddDays(-900)) })
                    .ExpectAsync(HttpStatusCode.Created)).Id();
                await coach.PostJson($"{path}/{id}/end", new { endedOn = D(today.AddDays(-ends[n])) }).ExpectAsync(HttpStatusCode.OK);
            }
        }

        // Closures (two steps: closing, then closed, which ends every open involvement), one of them reopened.
        var closing = open.Take(4).ToList();
        foreach (var household in closing)
        {
            await coach.PostJson($"/api/v1/households/{household}/closure", new { reason = "Doelen bereikt" }).ExpectAsync(HttpStatusCode.OK);
        }
        foreach (var household in closing.Take(3))
        {
            await coach.PostJson($"/api/v1/households/{household}/closure", new { reason = "Eindevaluatie gedaan" }).ExpectAsync(HttpStatusCode.OK);
        }
        await lead.PostJson($"/api/v1/households/{closing[0]}/reopening", new { reason = "Het gezin meldt zich opnieuw" }).ExpectAsync(HttpStatusCode.OK);

        // A move into the other team's neighbourhood and its triage there: the household changes team.
        var moving = open[^1];
        using (var patch = new StringContent($$"""
            {"address": {"street": "Velvetstraat", "houseNumber": 3, "postalCode": "7544 cd", "city": "Enschede"},
             "neighbourhoodId": "{{s.OtherNeighbourhoodId}}"}
            """, Encoding.UTF8, "application/merge-patch+json"))
        {
            await coach.PatchAsync($"/api/v1/households/{moving}", patch).ExpectAsync(HttpStatusCode.OK);
        }
        var otherLead = app.ClientFor(s.OtherTeamLead);
        var item = Assert.Single((await otherLead.GetAsync("/api/v1/signals?status=untriaged").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray())!;
        await otherLead.PostJson($"/api/v1/signals/{item.Id()}/triage", new { coachId = s.OtherCoachId, reason = "Verhuisd" })
            .ExpectAsync(HttpStatusCode.OK);
        // Later changes in the new team land in its summary too.
        await app.ClientFor(s.OtherCoach).PostJson($"/api/v1/households/{moving}/involvements",
            new { providerName = "Wijkverpleging Zuid", since = D(today.AddDays(-3)) }).ExpectAsync(HttpStatusCode.Created);

        app.Clock.Advance(TimeSpan.FromDays(2));
        today = RequestWorld.Today(app);
        var periods = new (DateOnly? From, DateOnly? To)[]
        {
            (null, null), (today.AddDays(-30), today), (today.AddDays(-1000), today), (today.AddDays(-200), today.AddDays(-200)),
            (today.AddDays(-700), today.AddDays(-250)), (today.AddDays(-1500), today.AddDays(-400)), (today.AddDays(-5), today.AddDays(40)),
        };
        var exactFromSummary = 0;
        var fromInvolvements = 0;
        var endedAfterPeriod = 0;
        var countedFromEnds = 0;
        var settledByMoreEnds = 0;
        var pagesCompared = 0;
        foreach (var (teamId, client) in new[] { (s.TeamId, lead), (s.OtherTeamId, otherLead) })
        {
            foreach (var (from, to) in periods)
            {
                var query = from is null ? "" : $"from={D(from.Value)}&to={D(to!.Value)}&";
                var report = await client.GetAsync($"/api/v1/reports/providers-per-household?{query}pageSize=200").ExpectAsync(HttpStatusCode.OK);
                var period = new ReportPeriod(DateOnly.Parse(report["from"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                    DateOnly.Parse(report["to"]!.GetValue<string>(), CultureInfo.InvariantCulture));
                var expected = await ProvidersPerHouseholdTests.ExpectedAsync(app, teamId, period.From, period.To);
                ProvidersPerHouseholdTests.AssertReport(expected, report, $"team {teamId}, {period.From}..{period.To}");
                var (exact, total, after, counted, settled) = await BranchesAsync(app, teamId, period);
                exactFromSummary += exact;
                fromInvolvements += total - exact;
                endedAfterPeriod += after;
                countedFromEnds += counted;
                settledByMoreEnds += settled;

                // The default order in full: providers now, most first, then the household id (as the database orders
                // uuids: their hex text; SQLite keeps them upper case, which orders the same).
                var listed = report["households"]!["items"]!.AsArray()
                    .Select(i => (Id: i!["householdId"]!.GetValue<string>(), Now: i["providersNow"]!.GetValue<int>())).ToList();
                Assert.Equal(expected.OrderByDescending(e => e.Now).ThenBy(e => e.Id.ToString(), StringComparer.OrdinalIgnoreCase)
                    .Select(e => (e.Id.ToString(), e.Now)).ToList(), listed);
                // Page by page (pages of 3: the index-ordered read takes the first offset + limit and the union is paged),
                // the same rows in the same order; one page past the end is empty.
                var paged = new List<(string, int)>();
                for (var page = 1; page <= listed.Count / 3 + 2; page++)
                {
                    var items = (await client.GetAsync($"/api/v1/reports/providers-per-household?{query}pageSize=3&page={page}")
                        .ExpectAsync(HttpStatusCode.OK))["households"]!["items"]!.AsArray();
                    paged.AddRange(items.Select(i => (i!["householdId"]!.GetValue<string>(), i["providersNow"]!.GetValue<int>())));
                    pagesCompared++;
                }
                Assert.Equal(listed, paged);
                // Every period ending today or later: no involvement starts after it, so every household is answered
                // from the summary and its ends (what the default period needs at scale).
                if (period.To >= today) Assert.Equal(total, exact);
            }
        }
        Assert.Contains(moving, (await ProvidersPerHouseholdTests.ExpectedAsync(app, s.OtherTeamId, today.AddDays(-30), today)).Select(e => e.Id));
        // Both ways of answering a household were exercised by the comparisons above.
        Assert.True(exactFromSummary > 20, $"only {exactFromSummary} households were answered from the summary");
        // Only past periods send a household to the involvements now (one that had an involvement start after the
        // period): 10–20 of the ~200 comparisons, depending on where the shared clock stands.
        Assert.True(fromInvolvements >= 5, $"only {fromInvolvements} households were answered from the involvements");
        // A past period's "now" counted a closed provider whose last end lies after the period (the ends' other use).
        Assert.True(endedAfterPeriod > 0, "no household answered from the summary had a provider ending after the period");
        // And "in period" was counted from the ends where the row's ends could not tell, and settled by the row's third
        // to sixth ends where its first two and the earliest could not.
        Assert.True(countedFromEnds > 0, "no household's providers in the period were counted from its ends");
        Assert.True(settledByMoreEnds > 0, "no household was settled by the row's third to sixth ends");
        Assert.True(pagesCompared > 20, $"only {pagesCompared} pages were compared");

        // What the writers kept equals a rebuild from scratch (the migration's backfill).
        var kept = await SummaryRowsAsync(app);
        Assert.Equal(world.Households.Count + 1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM household_summaries"));
        Assert.True(await app.ScalarAsync<int>("SELECT COUNT(*) FROM household_provider_ends") > 10, "too few closed providers to test their ends");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            await db.ExecuteAsync("DELETE FROM household_summaries");
            await db.ExecuteAsync(HouseholdSummary.RebuildAllSql);
            await db.ExecuteAsync("DELETE FROM household_provider_ends");
            await db.ExecuteAsync(HouseholdSummary.RebuildAllEndsSql);
        }
        Assert.Equal(kept, await SummaryRowsAsync(app));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task InactivityDecay_KeepsTheSummary(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var world = await ReportWorld.CreateAsync(app, households: 6, seed: 77);
        var today = RequestWorld.Today(app);
        // A household opened and given an involvement today, then left alone past the inactivity period.
        var s = world.S;
        var id = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 400)).Id();
        await app.ClientFor(s.Coach).PostJson($"/api/v1/households/{id}/involvements", new { providerName = "Humanitas", since = D(today) })
            .ExpectAsync(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromDays(7 * 31));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var ended = await scope.ServiceProvider.GetRequiredService<Frontlijn.Web.Features.Involvements.InvolvementDecay>().RunAsync(CancellationToken.None);
            Assert.True(ended.Ended >= 1);
        }
        var kept = await SummaryRowsAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            await db.ExecuteAsync("DELETE FROM household_summaries");
            await db.ExecuteAsync(HouseholdSummary.RebuildAllSql);
            await db.ExecuteAsync("DELETE FROM household_provider_ends");
            await db.ExecuteAsync(HouseholdSummary.RebuildAllEndsSql);
        }
        Assert.Equal(kept, await SummaryRowsAsync(app));
        var now = RequestWorld.Today(app);
        var report = await app.ClientFor(s.TeamLead).GetAsync("/api/v1/reports/providers-per-household?pageSize=200").ExpectAsync(HttpStatusCode.OK);
        ProvidersPerHouseholdTests.AssertReport(await ProvidersPerHouseholdTests.ExpectedAsync(app, s.TeamId, now.AddMonths(-12).AddDays(1), now), report, "after decay");
    }

    /// <summary>
    /// How many households of the team's scope the report answers from the summary row, how many there are, and how many
    /// of the former have a closed provider whose last end lies at or after the period's end.
    /// </summary>
    private static async Task<(int Exact, int Total, int EndedAfter, int CountedFromEnds, int SettledByMoreEnds)> BranchesAsync(
        TestApp app, Guid teamId, ReportPeriod period)
    {
        var p = new { teamId, periodStart = period.Start, periodEnd = period.End };
        var exact = await app.ScalarAsync<int>($"""
            SELECT COUNT(*) FROM household_summaries s
            WHERE s.team_id = @teamId AND s.created_at < @periodEnd AND (s.closed_at IS NULL OR s.closed_at >= @periodStart)
              AND {ProvidersPerHousehold.ExactFromSummary} = 1
            """, p);
        var total = await app.ScalarAsync<int>("""
            SELECT COUNT(*) FROM households h
            WHERE h.team_id = @teamId AND h.created_at < @periodEnd AND (h.closed_at IS NULL OR h.closed_at >= @periodStart)
            """, p);
        var after = await app.ScalarAsync<int>($"""
            SELECT COUNT(*) FROM household_summaries s
            WHERE s.team_id = @teamId AND s.created_at < @periodEnd AND (s.closed_at IS NULL OR s.closed_at >= @periodStart)
              AND {ProvidersPerHousehold.ExactFromSummary} = 1
              AND EXISTS (SELECT 1 FROM household_provider_ends e
                          WHERE e.household_id = s.household_id AND e.kind = 1 AND e.last_end >= @periodEnd)
            """, p);
        // The rows whose providers' in-period count the row's ends cannot settle (eight or more closed, S between the
        // earliest and the sixth latest end): the report counts their ends. Written out here, not taken from the report.
        var counted = await app.ScalarAsync<int>($"""
            SELECT COUNT(*) FROM household_summaries s
            WHERE s.team_id = @teamId AND s.created_at < @periodEnd AND (s.closed_at IS NULL OR s.closed_at >= @periodStart)
              AND {ProvidersPerHousehold.ExactFromSummary} = 1
              AND s.providers_closed >= 8 AND @periodStart >= s.provider_end_min AND @periodStart < s.provider_end_6
            """, p);
        // The rows the first two ends and the earliest could not settle but the third to sixth do (four to seven
        // closed, or more with S on or after the sixth end; S between the earliest and the second latest end).
        var settled = await app.ScalarAsync<int>($"""
            SELECT COUNT(*) FROM household_summaries s
            WHERE s.team_id = @teamId AND s.created_at < @periodEnd AND (s.closed_at IS NULL OR s.closed_at >= @periodStart)
              AND {ProvidersPerHousehold.ExactFromSummary} = 1
              AND s.providers_closed >= 4 AND @periodStart >= s.provider_end_min AND @periodStart < s.provider_end_2
              AND (s.providers_closed < 8 OR @periodStart >= s.provider_end_6)
            """, p);
        return (exact, total, after, counted, settled);
    }

    /// <summary>Every summary row as text, in household order (the same database reads both, so formats match).</summary>
    private static async Task<List<string>> SummaryRowsAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        var rows = (await db.QueryAsync<dynamic>("SELECT * FROM household_summaries ORDER BY household_id")).ToList();
        // The closed providers' and professionals' last ends, in a total order (ties of one household and kind are equal rows).
        rows.AddRange(await db.QueryAsync<dynamic>("SELECT * FROM household_provider_ends ORDER BY household_id, kind, last_end"));
        return rows.Select(r => string.Join("|", ((IDictionary<string, object?>)r).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}"))).ToList();
    }
}
