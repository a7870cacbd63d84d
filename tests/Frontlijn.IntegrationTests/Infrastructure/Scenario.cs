using System.Net;

namespace Frontlijn.IntegrationTests.Infrastructure;

/// <summary>
/// The organisation structure most tests start from, created through the admin API as an admin would:
/// one neighbourhood (PC4 8925) with a team, two coaches and a team lead; a second team with its own coach; an
/// organisation with a service and a back-office user; a second organisation with its own back-office user.
/// </summary>
public sealed record Scenario(
    Guid NeighbourhoodId, Guid TeamId, Guid OtherNeighbourhoodId, Guid OtherTeamId,
    Guid CoachId, string Coach, Guid SecondCoachId, string SecondCoach, Guid TeamLeadId, string TeamLead,
    Guid OtherCoachId, string OtherCoach, Guid OtherTeamLeadId, string OtherTeamLead,
    Guid OrganisationId, string BackOffice, Guid OtherOrganisationId, string OtherBackOffice)
{
    public static async Task<Scenario> CreateAsync(TestApp app, int maxCaseload = 20)
    {
        var admin = app.ClientFor("admin");
        var neighbourhood = await admin.PostJson("/api/v1/neighbourhoods", new
        {
            code = "LW-HS", name = "Heechterp-Schieringen", municipality = "Leeuwarden", postalCodes = new[] { "8925", "8924" },
        }).ExpectAsync(HttpStatusCode.Created);
        var other = await admin.PostJson("/api/v1/neighbourhoods", new
        {
            code = "ES-VL", name = "Velve-Lindenhof", municipality = "Enschede", postalCodes = new[] { "7544" },
        }).ExpectAsync(HttpStatusCode.Created);
        var team = await admin.PostJson("/api/v1/teams", new { name = "Frontlijnteam Oost", neighbourhoodIds = new[] { neighbourhood.Id() } })
            .ExpectAsync(HttpStatusCode.Created);
        var otherTeam = await admin.PostJson("/api/v1/teams", new { name = "Wijkteam Zuid", neighbourhoodIds = new[] { other.Id() } })
            .ExpectAsync(HttpStatusCode.Created);
        var organisation = await admin.PostJson("/api/v1/organisations", new
        {
            name = "Schuldhulp Leeuwarden", kind = "schuldhulp",
            services = new[] { new { code = "schuldhulp-intake", name = "Intake", responseDays = 5, urgentResponseDays = 1 } },
        }).ExpectAsync(HttpStatusCode.Created);
        var otherOrganisation = await admin.PostJson("/api/v1/organisations", new
        {
            name = "Woningcorporatie Elkien", kind = "woningcorporatie",
            services = new[] { new { code = "huurachterstand", name = "Huurachterstand", responseDays = 5, urgentResponseDays = 1 } },
        }).ExpectAsync(HttpStatusCode.Created);

        async Task<Guid> User(string username, string role, Guid? teamId = null, Guid? organisationId = null, int? max = null) =>
            (await admin.PostJson("/api/v1/users", new
            {
                username, displayName = username, role, teamId, organisationId, maxCaseload = max,
            }).ExpectAsync(HttpStatusCode.Created)).Id();

        return new Scenario(
            neighbourhood.Id(), team.Id(), other.Id(), otherTeam.Id(),
            await User("coach.anna", "coach", team.Id(), max: maxCaseload), "coach.anna",
            await User("coach.bram", "coach", team.Id(), max: maxCaseload), "coach.bram",
            await User("lead.sanne", "team-lead", team.Id()), "lead.sanne",
            await User("coach.fatima", "coach", otherTeam.Id(), max: maxCaseload), "coach.fatima",
            await User("lead.joost", "team-lead", otherTeam.Id()), "lead.joost",
            organisation.Id(), await User("schuldhulp.pieter", "back-office", organisationId: organisation.Id()) is var _ ? "schuldhulp.pieter" : "",
            otherOrganisation.Id(), await User("woning.lisa", "back-office", organisationId: otherOrganisation.Id()) is var _ ? "woning.lisa" : "");
    }
}
