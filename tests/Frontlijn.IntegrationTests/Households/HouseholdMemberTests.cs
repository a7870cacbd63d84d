using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Households;

/// <summary>
/// Members over time (SPEC "Households over time"): someone joins, a member's details are corrected (JSON Merge
/// Patch, the BSN stored as at registration and only ever shown masked), a member leaves (kept in the history, no
/// longer counted, not offered for consents). The household's coach and the team lead may; refusals change nothing.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class HouseholdMemberTests(ProviderApps apps)
{
    private static Task<HttpResponseMessage> Patch(HttpClient client, string path, string json, string contentType = "application/merge-patch+json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PatchAsync(path, content);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Members_JoinChangeAndLeave_ByCoachOrTeamLead_BsnHashedAndMasked(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var lead = app.ClientFor(s.TeamLead);
        var household = await coach.RegisterHouseholdAsync(s.NeighbourhoodId);
        var id = household.Id();
        var members = $"/api/v1/households/{id}/members";
        var head = household["members"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "head")!.Id();
        var child = household["members"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "child")!.Id();
        // The hash of Bsn2 as registration stores it, from a household of its own: the independent reference.
        var reference = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 40, bsn: Bsn2, familyName: "Referentie")).Id();
        var referenceHash = await app.ScalarAsync<string>(
            "SELECT bsn_hash FROM household_members WHERE household_id = @reference AND bsn_hash IS NOT NULL", new { reference });
        var before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM household_members");

        // Refusals and bad input change nothing.
        var baby = new { givenName = "Noor", familyName = "Bosma", dateOfBirth = "2024-03-01", role = "child", bsn = Bsn2 };
        await app.ClientFor(s.SecondCoach).PostJson(members, baby).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.OtherTeamLead).PostJson(members, baby).ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.BackOffice).PostJson(members, baby).ExpectAsync(HttpStatusCode.Forbidden);
        var invalid = await coach.PostJson(members, new { givenName = "Noor", familyName = "", dateOfBirth = "2024-03-01", role = "baby", bsn = "123456789" })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(invalid["errors"]!["familyName"]);
        Assert.NotNull(invalid["errors"]!["role"]);
        Assert.NotNull(invalid["errors"]!["bsn"]);
        Assert.DoesNotContain("123456789", invalid.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.ScalarAsync<int>("SELECT COUNT(*) FROM household_members"));

        // Someone joins: the BSN hashed exactly as at registration, only its mask comes back.
        var added = await coach.PostJson(members, baby).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("*****" + Bsn2[^4..], added["bsn"]!.GetValue<string>());
        Assert.DoesNotContain(Bsn2, added.ToJsonString(), StringComparison.Ordinal);
        var noor = added.Id();
        Assert.Equal(referenceHash, await app.ScalarAsync<string>("SELECT bsn_hash FROM household_members WHERE id = @noor", new { noor }));
        // The same BSN twice in one household is refused.
        var twice = await lead.PostJson(members, baby with { }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(twice["errors"]!["bsn"]);
        Assert.Equal(3, (await Detail(coach, id))["members"]!.AsArray().Count);

        // A change by merge patch: only what is sent changes; the merged member must still be valid.
        var path = $"{members}/{head}";
        await Patch(lead, path, """{"familyName": "Bosma-de Jong", "bsn": "111222333"}""").ExpectAsync(HttpStatusCode.OK);
        var changed = (await Detail(coach, id))["members"]!.AsArray().First(m => m!.Id() == head)!;
        Assert.Equal("Bosma-de Jong", changed["familyName"]!.GetValue<string>());
        Assert.Equal("Sandra", changed["givenName"]!.GetValue<string>());
        Assert.Equal("1984-05-12", changed["dateOfBirth"]!.GetValue<string>());
        Assert.Equal("*****2333", changed["bsn"]!.GetValue<string>());
        Assert.Equal("bosma-de jong", await app.ScalarAsync<string>("SELECT family_name_key FROM household_members WHERE id = @head", new { head }));
        foreach (var bad in new[] { """{"familyName": null}""", """{"bsn": "111222334"}""", """{"nickname": "San"}""",
                     """{"dateOfBirth": "12-05-1984"}""", """{"role": "boss"}""", """{"bsn": "123456782"}""" })
        {
            await Patch(coach, path, bad).ExpectAsync(HttpStatusCode.BadRequest);
        }
        await Patch(coach, path, """{"givenName": "S"}""", "application/json").ExpectAsync(HttpStatusCode.UnsupportedMediaType);
        await Patch(app.ClientFor(s.SecondCoach), path, """{"givenName": "S"}""").ExpectAsync(HttpStatusCode.Forbidden);
        await Patch(coach, $"{members}/{Guid.CreateVersion7()}", """{"givenName": "S"}""").ExpectAsync(HttpStatusCode.NotFound);
        var unchanged = (await Detail(coach, id))["members"]!.AsArray().First(m => m!.Id() == head)!;
        Assert.Equal("Bosma-de Jong", unchanged["familyName"]!.GetValue<string>());
        Assert.Equal("*****2333", unchanged["bsn"]!.GetValue<string>());
        // bsn: null removes a BSN entered by mistake.
        await Patch(coach, $"{members}/{noor}", """{"bsn": null}""").ExpectAsync(HttpStatusCode.OK);
        Assert.Null(await app.ScalarAsync<string?>("SELECT bsn_hash FROM household_members WHERE id = @noor", new { noor }));

        // Tim leaves: kept, with the date; no longer offered for a consent; not twice; the last member never.
        var today = RequestWorld.Today(app);
        var departure = $"{members}/{child}/departure";
        await coach.PostJson(departure, new { on = Iso(today.AddDays(1)), reason = "Op kamers" }).ExpectAsync(HttpStatusCode.BadRequest);
        await coach.PostJson(departure, new { on = Iso(today), reason = "" }).ExpectAsync(HttpStatusCode.BadRequest);
        var left = await coach.PostJson(departure, new { on = Iso(today.AddDays(-3)), reason = "Op kamers" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Iso(today.AddDays(-3)), left["departedOn"]!.GetValue<string>());
        await coach.PostJson(departure, new { on = Iso(today), reason = "Nog eens" }).ExpectAsync(HttpStatusCode.Conflict);
        await Patch(coach, $"{members}/{child}", """{"givenName": "Timo"}""").ExpectAsync(HttpStatusCode.Conflict);
        var listed = (await Detail(coach, id))["members"]!.AsArray();
        Assert.Equal(3, listed.Count);
        Assert.Equal([child], listed.Where(m => m!["departedOn"] is not null).Select(m => m!.Id()));
        var consent = await coach.PostJson($"/api/v1/households/{id}/consents", new
        {
            organisationId = s.OrganisationId, purpose = RequestWorld.Service, givenByMemberId = child,
            givenOn = Iso(today), validUntil = Iso(today.AddYears(1)),
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(consent["errors"]!["givenByMemberId"]);
        await lead.PostJson($"{members}/{noor}/departure", new { on = Iso(today), reason = "Bij vader" }).ExpectAsync(HttpStatusCode.OK);
        await coach.PostJson($"{members}/{head}/departure", new { on = Iso(today), reason = "Verhuisd" }).ExpectAsync(HttpStatusCode.Conflict);

        // Every change is in the access log; no BSN anywhere in it.
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @id AND object_type = 'member' AND action = 'create' AND result = 'success'", new { id }));
        Assert.Equal(4, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @id AND object_type = 'member' AND action = 'update' AND result = 'success'", new { id }));
        Assert.True(await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @id AND object_type = 'member' AND result = 'denied'", new { id }) >= 3);
    }

    private static async Task<JsonNode> Detail(HttpClient client, Guid id) =>
        await client.GetAsync($"/api/v1/households/{id}").ExpectAsync(HttpStatusCode.OK);
}
