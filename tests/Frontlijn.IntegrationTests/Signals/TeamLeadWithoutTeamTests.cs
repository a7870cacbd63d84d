using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Signals;

/// <summary>A team lead who (no longer) has a team gets a 4xx problem on every team-scoped endpoint, never a 500.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class TeamLeadWithoutTeamTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ATeamLeadWithoutATeam_Gets403_OnTriageCaseloadReportsAndStandIns(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var signal = (await app.ClientFor(s.BackOffice).PostJson("/api/v1/signals", ASignal(Address(houseNumber: 3)))
            .ExpectAsync(HttpStatusCode.Created)).Id("signalId");
        // The schema refuses a team lead without a team today, but the claims are what the handlers read, and a
        // future change of users (or an identity provider's mapping) must not turn into a 500. So the constraint is
        // stepped around for this one row: SQLite per connection, PostgreSQL by re-adding it NOT VALID (it then
        // still holds for every new write; existing rows are the test's, emptied by the next reset).
        await app.ScalarAsync<int>(app.Provider == Providers.Sqlite
            ? "PRAGMA ignore_check_constraints = ON; UPDATE users SET team_id = NULL WHERE id = @id; PRAGMA ignore_check_constraints = OFF;"
            : """
              ALTER TABLE users DROP CONSTRAINT users_check;
              UPDATE users SET team_id = NULL WHERE id = @id;
              ALTER TABLE users ADD CONSTRAINT users_check CHECK (role NOT IN ('coach', 'team-lead') OR team_id IS NOT NULL) NOT VALID;
              """, new { id = s.TeamLeadId });
        // An operator's SQL, not a change the service made: it counts once the user cache forgets the row
        // (Auth:UserCacheSeconds), or at once after the service's own invalidation, as here.
        await app.Services.GetRequiredService<Frontlijn.Web.Infrastructure.Auth.UserCache>().InvalidateAsync(s.TeamLeadId);
        Assert.Null(await app.ScalarAsync<Guid?>("SELECT team_id FROM users WHERE id = @id", new { id = s.TeamLeadId }));
        var lead = app.ClientFor(s.TeamLead);

        await lead.GetAsync("/api/v1/signals").ExpectAsync(HttpStatusCode.Forbidden);
        await lead.PostJson($"/api/v1/signals/{signal}/triage", new { coachId = s.CoachId }).ExpectAsync(HttpStatusCode.Forbidden);
        await lead.GetAsync("/api/v1/caseload/coaches").ExpectAsync(HttpStatusCode.Forbidden);
        await lead.GetAsync("/api/v1/reports/team").ExpectAsync(HttpStatusCode.Forbidden);
        await lead.GetAsync("/api/v1/reports/providers-per-household").ExpectAsync(HttpStatusCode.Forbidden);
        var today = Requests.RequestWorld.Today(app);
        await lead.PutJson($"/api/v1/users/{s.CoachId}/stand-in", new
        {
            standInId = s.SecondCoachId, from = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            until = today.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("untriaged", await app.ScalarAsync<string>("SELECT status FROM signals WHERE id = @signal", new { signal }));
    }
}
