using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Sessions;

namespace Frontlijn.IntegrationTests.Requests;

/// <summary>
/// The back office divides its work (issue 10, contract extension <c>PUT/DELETE /requests/{id}/assignee</c>): only to
/// an active back-office colleague of the addressed organisation, visible on the request and filterable in the list,
/// and every request names who it is about (family name, address) and its coach.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class RequestAssigneeTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheBackOffice_AssignsToAColleague_TheListFiltersOnIt_AndUnassigns(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var colleague = await NewBackOfficeAsync(app, "schuldhulp.petra", "Petra Hoekstra", w.S.OrganisationId);
        var first = (await w.SendAsync()).Id();
        var second = (await w.SendAsync(urgency: "urgent")).Id();

        var assigned = await w.BackOffice.PutJson($"/api/v1/requests/{first}/assignee", new { userId = colleague })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(colleague, assigned["assignee"]!.Id());
        Assert.Equal("Petra Hoekstra", assigned["assignee"]!["displayName"]!.GetValue<string>());

        // The request names the household and the coach, and its assignee; the assignment is no status change.
        var detail = await w.GetAsync(first, w.BackOffice);
        Assert.Equal(colleague, detail["assignee"]!.Id());
        Assert.Equal("Bosma", detail["household"]!["familyName"]!.GetValue<string>());
        Assert.Equal("Heechterp", detail["household"]!["address"]!["street"]!.GetValue<string>());
        Assert.Equal(12, detail["household"]!["address"]!["houseNumber"]!.GetValue<int>());
        Assert.Equal(w.S.CoachId, detail["coach"]!.Id());
        Assert.Equal("coach.anna", detail["coach"]!["displayName"]!.GetValue<string>());
        Assert.Equal(1, detail["version"]!.GetValue<int>());
        Assert.Null((await w.GetAsync(second, w.BackOffice))["assignee"]);

        var mine = await w.BackOffice.GetAsync($"/api/v1/requests?assigneeId={colleague}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(first, Assert.Single(mine["items"]!.AsArray())!.Id());
        Assert.Equal(2, (await w.BackOffice.GetAsync("/api/v1/requests").ExpectAsync(HttpStatusCode.OK))["total"]!.GetValue<int>());

        // The colleague hears of it, with a link target (the request); the change is in the access log.
        var inbox = await app.ClientFor("schuldhulp.petra").GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        var told = inbox["items"]!.AsArray().Where(n => n!["type"]!.GetValue<string>() == "nl.frontlijn.request.assigned").ToList();
        Assert.Equal(first, Assert.Single(told)!.Id("requestId"));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE object_id = @first AND action = 'update' AND result = 'success'", new { first }));

        // The back office takes it over itself, then gives it to nobody (PUT null), then assigns and DELETEs.
        var self = await w.UserIdAsync(w.S.BackOffice);
        await w.BackOffice.PutJson($"/api/v1/requests/{first}/assignee", new { userId = self }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(self, (await w.GetAsync(first, w.BackOffice))["assignee"]!.Id());
        var cleared = await w.BackOffice.PutJson($"/api/v1/requests/{first}/assignee", new { userId = (Guid?)null })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Null(cleared["assignee"]);
        Assert.Null((await w.GetAsync(first, w.BackOffice))["assignee"]);
        await w.BackOffice.PutJson($"/api/v1/requests/{second}/assignee", new { userId = colleague }).ExpectAsync(HttpStatusCode.OK);
        await w.BackOffice.DeleteAsync($"/api/v1/requests/{second}/assignee").ExpectAsync(HttpStatusCode.NoContent);
        Assert.Null((await w.GetAsync(second, w.BackOffice))["assignee"]);
        var none = await w.BackOffice.GetAsync($"/api/v1/requests?assigneeId={colleague}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, none["total"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OnlyAnActiveColleagueOfTheAddressedOrganisation_ElseProblems_AndNothingChanges(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var colleague = await NewBackOfficeAsync(app, "schuldhulp.petra", "Petra Hoekstra", w.S.OrganisationId);
        var id = (await w.SendAsync()).Id();
        var path = $"/api/v1/requests/{id}/assignee";

        // Not a colleague: a coach, a back office of another organisation, nobody at all → 400 on userId.
        foreach (var userId in new[] { w.S.CoachId, await w.UserIdAsync(w.S.OtherBackOffice), Guid.NewGuid() })
        {
            var problem = await w.BackOffice.PutJson(path, new { userId }).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.NotNull(problem["errors"]!["userId"]);
        }
        await w.BackOffice.PutJson(path, new { userId = "geen-id" }).ExpectAsync(HttpStatusCode.BadRequest);

        // A colleague who left: 409.
        await UserPatchTests.Patch(app.ClientFor("admin"), colleague, """{"active":false}""").ExpectAsync(HttpStatusCode.OK);
        await w.BackOffice.PutJson(path, new { userId = colleague }).ExpectAsync(HttpStatusCode.Conflict);

        // Another organisation's back office: 404 (need-to-know), logged as refused; other roles: 403.
        await app.ClientFor(w.S.OtherBackOffice).PutJson(path, new { userId = (Guid?)null }).ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(w.S.OtherBackOffice).DeleteAsync(path).ExpectAsync(HttpStatusCode.NotFound);
        Assert.True(await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE object_id = @id AND result = 'denied'", new { id }) >= 2);
        foreach (var other in new[] { w.S.Coach, w.S.TeamLead, "admin" })
        {
            await app.ClientFor(other).PutJson(path, new { userId = (Guid?)null }).ExpectAsync(HttpStatusCode.Forbidden);
        }
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM requests WHERE assignee_id IS NOT NULL"));

        // A finished request has no work left to divide.
        var self = await w.UserIdAsync(w.S.BackOffice);
        await w.ChangeAsync(id, "acknowledged", 1);
        await w.ValidChangeAsync(id, "answered", 2);
        await w.BackOffice.PutJson(path, new { userId = self }).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM requests WHERE assignee_id IS NOT NULL"));
    }

    private static async Task<Guid> NewBackOfficeAsync(TestApp app, string username, string displayName, Guid organisationId) =>
        (await app.ClientFor("admin").PostJson("/api/v1/users", new
        {
            username, displayName, role = "back-office", organisationId,
        }).ExpectAsync(HttpStatusCode.Created)).Id();
}
