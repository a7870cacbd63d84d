using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Admin;

/// <summary>
/// SPEC "Administration over time": PATCH /organisations/{id} (merge patch) and PUT /organisations/{id}/services/{code};
/// new response times apply to requests sent afterwards; a deactivated organisation or service gets no new requests.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class OrganisationsOverTimeTests(ProviderApps apps)
{
    internal static Task<HttpResponseMessage> Patch(HttpClient client, string path, string json, string contentType = "application/merge-patch+json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PatchAsync(path, content);
    }

    private static object ARequest(Guid householdId, Guid organisationId, string serviceCode = "schuldhulp-intake", string urgency = "normal") => new
    {
        householdId, organisationId, serviceCode, question = "Kunt u de schulden in kaart brengen?", urgency,
        legalBasis = "zwaarwegend-belang",
    };

    /// <summary>
    /// Easter Sundays, from the calendar (not from the service's computus). 2028 is left out: its Koningsdag (Thursday
    /// 27 April) falls inside the window below and would make the hand count differ.
    /// </summary>
    private static readonly DateOnly[] EasterSundays = [new(2026, 4, 5), new(2027, 3, 28), new(2029, 4, 1), new(2030, 4, 21)];

    /// <summary>The due date as the API presents it: the wall-clock time in Amsterdam, 23:59:59 on that day.</summary>
    private static void AssertDueOn(DateOnly expected, JsonNode request)
    {
        var due = request["dueAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(expected.ToDateTime(new TimeOnly(23, 59, 59)), due.DateTime);
        Assert.True(due.Offset == TimeSpan.FromHours(1) || due.Offset == TimeSpan.FromHours(2), $"not Amsterdam time: {due}");
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task NewResponseDays_ApplyToRequestsSentAfterwards_OnlyAndAcrossEaster(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var coach = app.ClientFor(s.Coach);
        var household = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        // W = the Wednesday before Easter, 09:00 UTC (the shared clock only moves forward: the first one still ahead).
        // W+2 is Goede Vrijdag, W+5 Tweede Paasdag: no working days, and neither is the weekend between.
        var w = EasterSundays.Select(e => e.AddDays(-4))
            .First(d => new DateTimeOffset(d.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero) > app.Clock.GetUtcNow());
        app.Clock.SetUtcNow(new DateTimeOffset(w.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));

        // 5 working days after W: W+1 (Thu), W+6 (Tue), W+7, W+8, W+9 (Fri).
        var before = await coach.PostJson("/api/v1/requests", ARequest(household, s.OrganisationId)).ExpectAsync(HttpStatusCode.Created);
        AssertDueOn(w.AddDays(9), before);

        var changed = await admin.PutJson($"/api/v1/organisations/{s.OrganisationId}/services/schuldhulp-intake",
            new { name = "Intake schuldhulp", responseDays = 2, urgentResponseDays = 1 }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, changed["responseDays"]!.GetValue<int>());
        Assert.True(changed["active"]!.GetValue<bool>());

        // 2 working days after W: W+1, W+6; urgent, 1: W+1.
        var after = await coach.PostJson("/api/v1/requests", ARequest(household, s.OrganisationId)).ExpectAsync(HttpStatusCode.Created);
        AssertDueOn(w.AddDays(6), after);
        Assert.Equal("Intake schuldhulp", after["serviceName"]!.GetValue<string>());
        var urgent = await coach.PostJson("/api/v1/requests", ARequest(household, s.OrganisationId, urgency: "urgent"))
            .ExpectAsync(HttpStatusCode.Created);
        AssertDueOn(w.AddDays(1), urgent);

        // The request sent before keeps its due date.
        var reread = await coach.GetAsync($"/api/v1/requests/{before.Id()}").ExpectAsync(HttpStatusCode.OK);
        AssertDueOn(w.AddDays(9), reread);

        // The organisation shows the new times; a new service is created (201) by the same PUT.
        var created = await admin.PutJson($"/api/v1/organisations/{s.OrganisationId}/services/budgetbeheer",
            new { name = "Budgetbeheer", responseDays = 10, urgentResponseDays = 2 }).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("budgetbeheer", created["code"]!.GetValue<string>());
        var organisation = await admin.GetAsync($"/api/v1/organisations/{s.OrganisationId}").ExpectAsync(HttpStatusCode.OK);
        var services = organisation["services"]!.AsArray();
        Assert.Equal(["budgetbeheer", "schuldhulp-intake"], services.Select(x => x!["code"]!.GetValue<string>()).ToArray());
        Assert.Equal(2, services.Single(x => x!["code"]!.GetValue<string>() == "schuldhulp-intake")!["responseDays"]!.GetValue<int>());
        // 10 working days after W: W+1, W+6 .. W+9 (5), W+12 .. W+15 (9), W+16 (Fri).
        var budget = await coach.PostJson("/api/v1/requests", ARequest(household, s.OrganisationId, "budgetbeheer"))
            .ExpectAsync(HttpStatusCode.Created);
        AssertDueOn(w.AddDays(16), budget);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ADeactivatedService_CannotBeRequested_ItsRequestsKeepWorking_AndReactivationRestoresIt(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var coach = app.ClientFor(s.Coach);
        var household = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        var sent = await coach.PostJson("/api/v1/requests", ARequest(household, s.OrganisationId)).ExpectAsync(HttpStatusCode.Created);

        var off = await admin.PutJson($"/api/v1/organisations/{s.OrganisationId}/services/schuldhulp-intake",
            new { name = "Intake", responseDays = 5, urgentResponseDays = 1, active = false }).ExpectAsync(HttpStatusCode.OK);
        Assert.False(off["active"]!.GetValue<bool>());
        var refused = await coach.PostJson("/api/v1/requests", ARequest(household, s.OrganisationId)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("gedeactiveerd", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM requests WHERE household_id = @household", new { household }));

        // The request already sent is still answered by the back office.
        await app.ClientFor(s.BackOffice).PostJson($"/api/v1/requests/{sent.Id()}/status-changes",
            new { status = "acknowledged", expectedVersion = 1 }).ExpectAsync(HttpStatusCode.Created);

        await admin.PutJson($"/api/v1/organisations/{s.OrganisationId}/services/schuldhulp-intake",
            new { name = "Intake", responseDays = 5, urgentResponseDays = 1, active = true }).ExpectAsync(HttpStatusCode.OK);
        await coach.PostJson("/api/v1/requests", ARequest(household, s.OrganisationId)).ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PatchOrganisation_ChangesWhatItSays_AndADeactivatedOneGetsNoNewRequests(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var coach = app.ClientFor(s.Coach);
        var path = $"/api/v1/organisations/{s.OrganisationId}";
        var pieter = (await admin.GetAsync("/api/v1/users?pageSize=100").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray()
            .Single(u => u!["username"]!.GetValue<string>() == s.BackOffice)!.Id();
        var secret = "whsec_" + Convert.ToBase64String("frontlijn-organisation-patch-secret"u8.ToArray());
        await admin.PostJson($"{path}/webhook-secrets", new { secret }).ExpectAsync(HttpStatusCode.Created);

        var patched = await Patch(admin, path,
            $$"""{"name": "Schuldhulp Friesland", "kind": "schuldhulpverlening", "webhookUrl": "http://127.0.0.1:9/hook", "escalationContactId": "{{pieter}}"}""")
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Schuldhulp Friesland", patched["name"]!.GetValue<string>());
        Assert.Equal("schuldhulpverlening", patched["kind"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:9/hook", patched["webhookUrl"]!.GetValue<string>());
        Assert.Equal(pieter, patched.Id("escalationContactId"));
        Assert.True(patched["active"]!.GetValue<bool>());
        Assert.Equal(pieter, await app.ScalarAsync<Guid>(
            "SELECT user_id FROM organisation_escalation_contacts WHERE organisation_id = @id", new { id = s.OrganisationId }));
        // Services and what was not in the patch stay as they were.
        Assert.Equal("schuldhulp-intake", patched["services"]![0]!["code"]!.GetValue<string>());

        var household = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId)).Id();
        var sent = await coach.PostJson("/api/v1/requests", ARequest(household, s.OrganisationId)).ExpectAsync(HttpStatusCode.Created);

        // Deactivated: no new requests (409, in Dutch), nothing stored; the request it has keeps working.
        var off = await Patch(admin, path, """{"active": false, "escalationContactId": null, "webhookUrl": null}""").ExpectAsync(HttpStatusCode.OK);
        Assert.False(off["active"]!.GetValue<bool>());
        Assert.Null(off["escalationContactId"]);
        Assert.Null(off["webhookUrl"]);
        Assert.Equal("Schuldhulp Friesland", off["name"]!.GetValue<string>());
        var refused = await coach.PostJson("/api/v1/requests", ARequest(household, s.OrganisationId)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("Deze organisatie is gedeactiveerd en neemt geen nieuwe verzoeken aan.", refused["detail"]!.GetValue<string>());
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM requests WHERE household_id = @household", new { household }));
        var backOffice = app.ClientFor(s.BackOffice);
        await backOffice.GetAsync($"/api/v1/requests/{sent.Id()}").ExpectAsync(HttpStatusCode.OK);
        await backOffice.PostJson($"/api/v1/requests/{sent.Id()}/status-changes", new { status = "acknowledged", expectedVersion = 1 })
            .ExpectAsync(HttpStatusCode.Created);
        // The other organisation is untouched.
        await coach.PostJson("/api/v1/requests", ARequest(household, s.OtherOrganisationId, "huurachterstand")).ExpectAsync(HttpStatusCode.Created);

        var on = await Patch(admin, path, """{"active": true}""").ExpectAsync(HttpStatusCode.OK);
        Assert.True(on["active"]!.GetValue<bool>());
        await coach.PostJson("/api/v1/requests", ARequest(household, s.OrganisationId)).ExpectAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BadOrganisationPatches_AndServicePuts_Are4xxProblemsPerField_AndChangeNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var path = $"/api/v1/organisations/{s.OrganisationId}";
        var before = (await admin.GetAsync(path).ExpectAsync(HttpStatusCode.OK)).ToJsonString();
        var lisa = (await admin.GetAsync("/api/v1/users?pageSize=100").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray()
            .Single(u => u!["username"]!.GetValue<string>() == s.OtherBackOffice)!.Id();

        var types = await Patch(admin, path, """{"name": 3, "active": "nee", "escalationContactId": "geen-uuid", "services": []}""")
            .ExpectAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "name", "active", "escalationContactId", "services" })
        {
            Assert.True(types["errors"]!.AsObject().ContainsKey(field), $"no error for {field}: {types.ToJsonString()}");
        }
        var rules = await Patch(admin, path, """{"name": "", "kind": "Schuld Hulp", "webhookUrl": "https://169.254.169.254/latest"}""")
            .ExpectAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "name", "kind", "webhookUrl" })
        {
            Assert.True(rules["errors"]!.AsObject().ContainsKey(field), $"no error for {field}: {rules.ToJsonString()}");
        }
        // The same address rule as at creation: the private network, and not https.
        var inward = await Patch(admin, path, """{"webhookUrl": "https://10.1.2.3/hook"}""").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(inward["errors"]!["webhookUrl"]);
        await Patch(admin, path, """{"webhookUrl": "ftp://ontvanger.example.nl/"}""").ExpectAsync(HttpStatusCode.BadRequest);
        // An allowed address, but no secret to sign with.
        var unsigned = await Patch(admin, path, """{"webhookUrl": "http://127.0.0.1:9/hook"}""").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(unsigned["errors"]!["webhookUrl"]);
        // Another organisation's back office, or a coach, is no escalation contact here.
        var foreign = await Patch(admin, path, $$"""{"escalationContactId": "{{lisa}}"}""").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(foreign["errors"]!["escalationContactId"]);
        await Patch(admin, path, $$"""{"escalationContactId": "{{s.CoachId}}"}""").ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(admin, path, """{"active": null}""").ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(admin, path, """{"name": "Woningcorporatie Elkien"}""").ExpectAsync(HttpStatusCode.Conflict);
        await Patch(admin, path, """[1]""").ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(admin, path, """{"name": """).ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(admin, path, """{"name": "Nieuw"}""", "application/json").ExpectAsync(HttpStatusCode.UnsupportedMediaType);
        await Patch(admin, $"/api/v1/organisations/{Guid.NewGuid()}", """{"name": "Niemand"}""").ExpectAsync(HttpStatusCode.NotFound);
        await Patch(app.ClientFor(s.TeamLead), path, """{"name": "Nieuw"}""").ExpectAsync(HttpStatusCode.Forbidden);
        await Patch(app.ClientFor(s.BackOffice), path, """{"name": "Nieuw"}""").ExpectAsync(HttpStatusCode.Forbidden);

        var service = $"{path}/services/schuldhulp-intake";
        var put = await admin.PutJson(service, new { name = "", responseDays = 0, urgentResponseDays = 61 }).ExpectAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "name", "responseDays", "urgentResponseDays" })
        {
            Assert.True(put["errors"]!.AsObject().ContainsKey(field), $"no error for {field}: {put.ToJsonString()}");
        }
        var missing = await admin.PutJson(service, new { name = "Intake" }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(missing["errors"]!["responseDays"]);
        var slower = await admin.PutJson(service, new { name = "Intake", responseDays = 2, urgentResponseDays = 3 }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(slower["errors"]!["urgentResponseDays"]);
        var badCode = await admin.PutJson($"{path}/services/Geen%20Code", new { name = "X", responseDays = 5, urgentResponseDays = 1 })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(badCode["errors"]!["code"]);
        await admin.PutJson($"/api/v1/organisations/{Guid.NewGuid()}/services/intake", new { name = "X", responseDays = 5, urgentResponseDays = 1 })
            .ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.Coach).PutJson(service, new { name = "X", responseDays = 5, urgentResponseDays = 1 }).ExpectAsync(HttpStatusCode.Forbidden);

        Assert.Equal(before, (await admin.GetAsync(path).ExpectAsync(HttpStatusCode.OK)).ToJsonString());
    }
}
