using System.Globalization;
using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Requests;

/// <summary>Need-to-know and the consent rule: who may send, who may see, and sharing only with consent or a legal basis.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class RequestAccessTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BackOfficeOfAnotherOrganisation_AndOtherTeams_Get404_AndListOnlyTheirOwn(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var id = (await w.SendAsync()).Id();

        foreach (var outsider in new[] { w.S.OtherBackOffice, w.S.OtherCoach, w.S.OtherTeamLead })
        {
            var client = app.ClientFor(outsider);
            await client.GetAsync($"/api/v1/requests/{id}").ExpectAsync(HttpStatusCode.NotFound);
            await client.GetAsync($"/api/v1/requests/{id}/status-changes").ExpectAsync(HttpStatusCode.NotFound);
            await client.GetAsync($"/api/v1/requests/{id}/messages").ExpectAsync(HttpStatusCode.NotFound);
            // A team lead never posts in a thread or changes a request's status (403 by role); the others: 404.
            var change = outsider == w.S.OtherTeamLead ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
            await client.PostJson($"/api/v1/requests/{id}/messages", new { text = "Mag ik meelezen?" }).ExpectAsync(change);
            await client.PostJson($"/api/v1/requests/{id}/status-changes", new { status = "acknowledged", expectedVersion = 1 })
                .ExpectAsync(change);
            var list = await client.GetAsync("/api/v1/requests").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(0, list["total"]!.GetValue<int>());
        }
        await app.ClientFor("admin").GetAsync($"/api/v1/requests/{id}").ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor("admin").GetAsync("/api/v1/requests").ExpectAsync(HttpStatusCode.Forbidden);

        // The addressee, the coach, a colleague coach and the team lead of the household's team see it.
        foreach (var insider in new[] { w.S.BackOffice, w.S.Coach, w.S.SecondCoach, w.S.TeamLead })
        {
            var client = app.ClientFor(insider);
            Assert.Equal(id, (await client.GetAsync($"/api/v1/requests/{id}").ExpectAsync(HttpStatusCode.OK)).Id());
            var list = await client.GetAsync($"/api/v1/requests?status=sent&householdId={w.HouseholdId}").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(id, Assert.Single(list["items"]!.AsArray())!.Id());
        }
        var none = await w.BackOffice.GetAsync("/api/v1/requests?status=answered").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, none["total"]!.GetValue<int>());
        await w.BackOffice.GetAsync("/api/v1/requests?status=open").ExpectAsync(HttpStatusCode.BadRequest);
        // Reads of request data are in the access log, refused ones too.
        Assert.True(await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE object_id = @id AND result = 'denied'", new { id }) >= 3);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OnlyTheHouseholdsCoach_Sends_ToAServiceThatExists(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);

        await w.SendAsync(client: app.ClientFor(w.S.SecondCoach), expected: HttpStatusCode.Forbidden);
        await w.SendAsync(client: app.ClientFor(w.S.OtherCoach), expected: HttpStatusCode.NotFound);
        await w.SendAsync(client: app.ClientFor(w.S.TeamLead), expected: HttpStatusCode.Forbidden);
        await w.SendAsync(client: w.BackOffice, expected: HttpStatusCode.Forbidden);
        await w.SendAsync(householdId: Guid.CreateVersion7(), expected: HttpStatusCode.NotFound);
        await w.SendAsync(organisationId: Guid.CreateVersion7(), expected: HttpStatusCode.NotFound);
        var noService = await w.SendAsync(service: "ggz-consult", expected: HttpStatusCode.BadRequest);
        Assert.NotNull(noService["errors"]!["serviceCode"]);
        var invalid = await w.Coach.PostJson("/api/v1/requests", new { urgency = "asap" }).ExpectAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "householdId", "organisationId", "serviceCode", "question", "urgency" })
        {
            Assert.NotNull(invalid["errors"]![field]);
        }
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM requests"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Sending_NeedsAValidConsentForThatOrganisationAndPurpose_OrALegalBasis(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);

        // No consent for the other organisation: refused, saying why; with a legal basis it is sent.
        var refused = await w.SendAsync(organisationId: w.S.OtherOrganisationId, service: "huurachterstand", expected: HttpStatusCode.Conflict);
        Assert.Contains("geen toestemming", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("legalBasis", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var safety = await w.SendAsync(organisationId: w.S.OtherOrganisationId, service: "huurachterstand", legalBasis: "zwaarwegend-belang");
        Assert.Equal("zwaarwegend-belang", safety["legalBasis"]!.GetValue<string>());
        Assert.Null(safety["consentId"]);
        await w.SendAsync(legalBasis: "Zwaarwegend Belang!", expected: HttpStatusCode.BadRequest);

        // Withdrawn consent: refused again, and the problem says it was withdrawn.
        await w.SendAsync();
        var withdrawn = await w.Coach.DeleteAsync($"/api/v1/households/{w.HouseholdId}/consents/{w.ConsentId}").ExpectAsync(HttpStatusCode.OK);
        Assert.False(withdrawn["valid"]!.GetValue<bool>());
        var afterWithdrawal = await w.SendAsync(expected: HttpStatusCode.Conflict);
        Assert.Contains("ingetrokken", afterWithdrawal["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // Expired consent: refused.
        var today = RequestWorld.Today(app);
        await w.Coach.PostJson($"/api/v1/households/{w.HouseholdId}/consents", new
        {
            organisationId = w.S.OrganisationId, purpose = RequestWorld.Service, givenByMemberId = w.HeadMemberId,
            givenOn = today.AddYears(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            validUntil = today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }).ExpectAsync(HttpStatusCode.Created);
        var expired = await w.SendAsync(expected: HttpStatusCode.Conflict);
        Assert.Contains("verlopen", expired["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, await app.ScalarAsync<int>("SELECT COUNT(*) FROM requests"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Consents_AreRecordedListedAndWithdrawn_ByTheTeamsCoach(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var path = $"/api/v1/households/{w.HouseholdId}/consents";

        var list = await app.ClientFor(w.S.TeamLead).GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        var consent = Assert.Single(list["items"]!.AsArray())!;
        Assert.True(consent["valid"]!.GetValue<bool>());
        Assert.Equal(RequestWorld.Service, consent["purpose"]!.GetValue<string>());

        await app.ClientFor(w.S.OtherCoach).GetAsync(path).ExpectAsync(HttpStatusCode.NotFound);
        await w.BackOffice.GetAsync(path).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(w.S.OtherCoach).DeleteAsync($"{path}/{w.ConsentId}").ExpectAsync(HttpStatusCode.NotFound);

        var other = (await app.ClientFor(w.S.OtherCoach).RegisterHouseholdAsync(w.S.OtherNeighbourhoodId, postalCode: "7544 AA"))["members"]![0]!.Id();
        var invalid = await w.Coach.PostJson(path, new
        {
            organisationId = w.S.OrganisationId, purpose = "ggz-consult", givenByMemberId = other,
            givenOn = RequestWorld.Today(app).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            validUntil = RequestWorld.Today(app).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(invalid["errors"]!["givenOn"]);
        Assert.NotNull(invalid["errors"]!["validUntil"]);
        var wrongRefs = await w.Coach.PostJson(path, new
        {
            organisationId = w.S.OrganisationId, purpose = "ggz-consult", givenByMemberId = other,
            givenOn = RequestWorld.Today(app).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            validUntil = RequestWorld.Today(app).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(wrongRefs["errors"]!["givenByMemberId"]);
        Assert.NotNull(wrongRefs["errors"]!["purpose"]);

        await w.Coach.DeleteAsync($"{path}/{w.ConsentId}").ExpectAsync(HttpStatusCode.OK);
        await w.Coach.DeleteAsync($"{path}/{w.ConsentId}").ExpectAsync(HttpStatusCode.Conflict);
        await w.Coach.DeleteAsync($"{path}/{Guid.CreateVersion7()}").ExpectAsync(HttpStatusCode.NotFound);
        var after = await w.Coach.GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(after["items"]![0]!["withdrawnOn"]);
    }
}
