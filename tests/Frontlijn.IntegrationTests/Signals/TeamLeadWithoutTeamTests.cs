using System.Net;
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
        // The team was taken away (as a PATCH of the user would); the users table decides on the next request.
        await app.ScalarAsync<int>("UPDATE users SET team_id = NULL WHERE id = @id", new { id = s.TeamLeadId });
        var lead = app.ClientFor(s.TeamLead);

        await lead.GetAsync("/api/v1/signals").ExpectAsync(HttpStatusCode.Forbidden);
        await lead.PostJson($"/api/v1/signals/{signal}/triage", new { coachId = s.CoachId }).ExpectAsync(HttpStatusCode.Forbidden);
        await lead.GetAsync("/api/v1/caseload/coaches").ExpectAsync(HttpStatusCode.Forbidden);
        await lead.GetAsync("/api/v1/reports/team").ExpectAsync(HttpStatusCode.Forbidden);
        await lead.GetAsync("/api/v1/reports/providers-per-household").ExpectAsync(HttpStatusCode.Forbidden);
        await lead.PutJson($"/api/v1/users/{s.CoachId}/stand-in", new { standInId = s.SecondCoachId, from = "2026-03-02", until = "2026-03-09" })
            .ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("untriaged", await app.ScalarAsync<string>("SELECT status FROM signals WHERE id = @signal", new { signal }));
    }
}
