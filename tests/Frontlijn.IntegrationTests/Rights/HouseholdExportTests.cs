using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;
using Frontlijn.Web.Features.Rights;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Rights;

/// <summary>
/// The art. 15 bundle (SPEC "The household's rights"): a household seeded through the API with every kind of data the
/// SPEC lists — members (one departed), address, coach history, consents, requests with their thread and answer,
/// involvements, plan, assessments, signals and its access log — comes back whole, and a second household of the same
/// team, seeded the same way, leaves no trace in it. The export is access-logged as <c>export</c>; text/html is a
/// printable page; a departed member's own scope stops at their departure.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class HouseholdExportTests(ProviderApps apps)
{
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Everything one household has, with the ids to look for.</summary>
    private sealed record Seeded(Guid Id, Guid Head, Guid Child, Guid Consent, Guid Request, Guid Involvement, Guid Goal, Guid Action,
        Guid Assessment, Guid Signal, string Question, string Answer, string[] Messages, string Concern, string FamilyName);

    private static async Task<Seeded> SeedAsync(TestApp app, Scenario s, int houseNumber, string familyName, string bsn, string tag)
    {
        var coach = app.ClientFor(s.Coach);
        var backOffice = app.ClientFor(s.BackOffice);
        var today = RequestWorld.Today(app);
        var household = await coach.PostJson("/api/v1/households", new
        {
            neighbourhoodId = s.NeighbourhoodId,
            address = Builders.Address(houseNumber: houseNumber, street: $"Heechterp {tag}"),
            members = new object[]
            {
                new { givenName = "Sandra", familyName, dateOfBirth = "1984-05-12", bsn, role = "head" },
                new { givenName = "Tim", familyName, dateOfBirth = "2005-09-01", bsn = (string?)null, role = "child" },
            },
        }).ExpectAsync(HttpStatusCode.Created);
        var id = household.Id();
        var h = $"/api/v1/households/{id}";
        var head = household["members"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "head")!.Id();
        var child = household["members"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "child")!.Id();
        var consent = (await coach.PostJson($"{h}/consents", new
        {
            organisationId = s.OrganisationId, purpose = RequestWorld.Service, givenByMemberId = head,
            givenOn = D(today), validUntil = D(today.AddYears(1)),
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        var question = $"Kan de intake voor {tag} starten? <b>graag</b> & snel";
        var request = (await coach.PostJson("/api/v1/requests", new
        {
            householdId = id, organisationId = s.OrganisationId, serviceCode = RequestWorld.Service, question, urgency = "normal",
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        string[] messages = [$"Welke schulden heeft {tag}?", $"Huur en energie bij {tag}."];
        await backOffice.PostJson($"/api/v1/requests/{request}/messages", new { text = messages[0] }).ExpectAsync(HttpStatusCode.Created);
        await coach.PostJson($"/api/v1/requests/{request}/messages", new { text = messages[1] }).ExpectAsync(HttpStatusCode.Created);
        await backOffice.PostJson($"/api/v1/requests/{request}/status-changes", new { status = "acknowledged", expectedVersion = 1 })
            .ExpectAsync(HttpStatusCode.Created);
        var answer = $"Intake voor {tag} gepland op dinsdag.";
        await backOffice.PostJson($"/api/v1/requests/{request}/status-changes", new { status = "answered", answer, expectedVersion = 2 })
            .ExpectAsync(HttpStatusCode.Created);
        var involvement = (await coach.PostJson($"{h}/involvements", new { providerName = $"Huisarts {tag}", since = D(today.AddDays(-30)) })
            .ExpectAsync(HttpStatusCode.Created)).Id();
        var goal = (await coach.PostJson($"{h}/plan/goals", new { domain = "financien", description = $"Schulden van {tag} in beeld" })
            .ExpectAsync(HttpStatusCode.Created)).Id();
        var action = (await coach.PostJson($"{h}/plan/goals/{goal}/actions", new
        {
            description = $"Bellen over {tag}", owner = new { kind = "coach" }, dueOn = D(today.AddDays(7)),
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        var assessment = (await coach.PostJson($"{h}/assessments", new
        {
            memberId = head, phase = "intake", assessedOn = D(today),
            scores = new Dictionary<string, int> { ["financien"] = 1, ["huisvesting"] = 3 },
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        var concern = $"Zorgen over {tag}: post stapelt zich op";
        var signal = (await backOffice.PostJson("/api/v1/signals",
                Builders.ASignal(Builders.Address(houseNumber: houseNumber, street: $"Heechterp {tag}"), concern))
            .ExpectAsync(HttpStatusCode.Created)).Id("signalId");
        await coach.PostJson($"{h}/members/{child}/departure", new { on = D(today), reason = $"Op kamers ({tag})" })
            .ExpectAsync(HttpStatusCode.OK);
        return new Seeded(id, head, child, consent, request, involvement, goal, action, assessment, signal, question, answer, messages,
            concern, familyName);
    }

    private static JsonArray Items(JsonNode export, string name) => export[name]!.AsArray();

    private static bool Has(JsonArray items, Guid id) => items.Any(i => i!["id"]?.GetValue<string>() == id.ToString());

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Export_HoldsEverythingTheSpecLists_AndNothingOfAnotherHousehold(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var mine = await SeedAsync(app, s, 12, "Bosma", Builders.Bsn1, "Bosma");
        var other = await SeedAsync(app, s, 40, "Wiersma", Builders.Bsn2, "Wiersma");
        var lead = app.ClientFor(s.TeamLead);
        // A meeting about each household (SPEC "Outside the building"), with a participant named only there.
        async Task<Guid> MeetingAsync(Guid household, string participant) =>
            (await app.ClientFor(s.Coach).PostJson($"/api/v1/households/{household}/meetings", new
            {
                date = D(RequestWorld.Today(app)), kind = "case-consultation", durationMinutes = 45,
                participants = new object[] { new { name = participant } }, householdPresent = false,
            }).ExpectAsync(HttpStatusCode.Created)).Id();
        var myMeeting = await MeetingAsync(mine.Id, "Juf Marieke (basisschool)");
        var otherMeeting = await MeetingAsync(other.Id, "Meester Wouter (andere school)");

        using var response = await lead.GetAsync($"/api/v1/households/{mine.Id}/export");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var export = JsonNode.Parse(text)!;

        Assert.Equal(mine.Id, export["household"]!.Id());
        // Members: both, the child with its departure; the BSN masked, never whole.
        var members = Items(export, "members");
        Assert.Equal(2, members.Count);
        Assert.True(Has(members, mine.Head) && Has(members, mine.Child));
        var child = members.Single(m => m!.Id() == mine.Child)!;
        Assert.Equal(D(RequestWorld.Today(app)), child["departedOn"]!.GetValue<string>());
        Assert.Equal("Op kamers (Bosma)", child["departureReason"]!.GetValue<string>());
        Assert.Equal("*****" + Builders.Bsn1[^4..], members.Single(m => m!.Id() == mine.Head)!["bsn"]!.GetValue<string>());
        Assert.DoesNotContain(Builders.Bsn1, text, StringComparison.Ordinal);
        // Address and coach history.
        Assert.Equal("Heechterp Bosma", Items(export, "addresses").Single()!["street"]!.GetValue<string>());
        Assert.Equal("coach.anna", Items(export, "coachHistory").Single()!["coachDisplayName"]!.GetValue<string>());
        // Consents, the request with its thread, answer and history.
        Assert.True(Has(Items(export, "consents"), mine.Consent));
        var request = Items(export, "requests").Single()!;
        Assert.Equal(mine.Request, request.Id());
        Assert.Equal(mine.Question, request["question"]!.GetValue<string>());
        Assert.Equal(mine.Answer, request["answer"]!.GetValue<string>());
        // Both posted at the same (fake) instant: their order is not defined, their content is.
        Assert.Equal(mine.Messages.Order(), request["messages"]!.AsArray().Select(m => m!["body"]!.GetValue<string>()).Order());
        Assert.Equal(["acknowledged", "answered"],
            request["statusChanges"]!.AsArray().Select(c => c!["toStatus"]!.GetValue<string>()).Where(t => t != "sent").ToArray());
        // Involvements (the manual one, and the back office's from handling the request), plan, assessments.
        var involvements = Items(export, "involvements");
        Assert.True(Has(involvements, mine.Involvement));
        Assert.Contains(involvements, i => i!["provider"]?.GetValue<string>() == "Schuldhulp Leeuwarden");
        var goal = export["plan"]!["goals"]!.AsArray().Single()!;
        Assert.Equal(mine.Goal, goal.Id());
        Assert.Equal(mine.Action, goal["actions"]!.AsArray().Single()!.Id());
        var assessment = Items(export, "assessments").Single()!;
        Assert.Equal(mine.Assessment, assessment.Id());
        Assert.Equal(2, assessment["scores"]!.AsArray().Count);
        // The meeting, with its participant and duration.
        var meeting = Items(export, "meetings").Single()!;
        Assert.Equal(myMeeting, meeting.Id());
        Assert.Equal(45, meeting["durationMinutes"]!.GetValue<int>());
        Assert.Equal("Juf Marieke (basisschool)", meeting["participants"]!.AsArray().Single()!.GetValue<string>());
        // The signal about this household, and the access log (registration, the reads and changes above).
        var signal = Items(export, "signals").Single()!;
        Assert.Equal(mine.Signal, signal.Id());
        Assert.Equal(mine.Concern, signal["concern"]!.GetValue<string>());
        var log = Items(export, "accessLog");
        Assert.Contains(log, l => l!["action"]!.GetValue<string>() == "create" && l["objectType"]!.GetValue<string>() == "household");
        Assert.Contains(log, l => l!["objectType"]!.GetValue<string>() == "consent");

        // Nothing of the other household: not one of its ids or texts.
        foreach (var foreign in new object[]
                 {
                     other.Id, other.Head, other.Child, other.Consent, other.Request, other.Involvement, other.Goal, other.Action,
                     other.Assessment, other.Signal, other.FamilyName, other.Concern, other.Answer, other.Messages[0], other.Messages[1],
                     "Wiersma", otherMeeting, "Meester Wouter",
                 })
        {
            Assert.DoesNotContain(foreign.ToString()!, text, StringComparison.OrdinalIgnoreCase);
        }

        // Logged as an export, by the team lead.
        var afterwards = await lead.GetAsync($"/api/v1/households/{mine.Id}/access-log").ExpectAsync(HttpStatusCode.OK);
        var logged = afterwards["items"]!.AsArray().Select(i => i!).ToList();
        Assert.Contains(logged, i => i["action"]!.GetValue<string>() == "export" && i["result"]!.GetValue<string>() == "success" &&
                                     i["actorDisplayName"]!.GetValue<string>() == s.TeamLead);
        // The admin may export too; the other team's lead gets 404, logged as a refused export.
        await app.ClientFor("admin").GetAsync($"/api/v1/households/{mine.Id}/export").ExpectAsync(HttpStatusCode.OK);
        await app.ClientFor(s.OtherTeamLead).GetAsync($"/api/v1/households/{mine.Id}/export").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @id AND action = 'export' AND result = 'denied'", new { id = mine.Id }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Export_AsHtml_IsAPrintableDutchPage_WithEverythingEncoded(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var mine = await SeedAsync(app, s, 12, "Bosma", Builders.Bsn1, "Bosma");
        var lead = app.ClientFor(s.TeamLead);
        using var message = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/households/{mine.Id}/export");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await lead.SendAsync(message);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"nl\">", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains("Inzage in de gegevens van uw huishouden", html, StringComparison.Ordinal);
        // The question's markup is text, not markup.
        Assert.Contains("&lt;b&gt;graag&lt;/b&gt; &amp; snel", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>graag</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        foreach (var expected in new[] { mine.Answer, mine.Messages[0], mine.Concern, "Sandra Bosma", "Heechterp Bosma", "Schulden van Bosma in beeld" })
        {
            Assert.Contains(System.Net.WebUtility.HtmlEncode(expected), html, StringComparison.Ordinal);
        }
        // Its one style block is allowed by hash; nothing else may load.
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'sha256-", csp, StringComparison.Ordinal);
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @id AND action = 'export' AND result = 'success'", new { id = mine.Id }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task MemberScope_OfAMemberWhoLeft_StopsAtTheirDeparture_AndHoldsOnlyTheirOwnAssessments(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var mine = await SeedAsync(app, s, 12, "Bosma", Builders.Bsn1, "Bosma");
        // Two days after the child left, the household goes on: a second request and a goal.
        app.Clock.Advance(TimeSpan.FromDays(2));
        var coach = app.ClientFor(s.Coach);
        var later = (await coach.PostJson("/api/v1/requests", new
        {
            householdId = mine.Id, organisationId = s.OrganisationId, serviceCode = RequestWorld.Service,
            question = "Nog een vraag na het vertrek", urgency = "normal",
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        var laterGoal = (await coach.PostJson($"/api/v1/households/{mine.Id}/plan/goals", new { domain = "huisvesting", description = "Na het vertrek" })
            .ExpectAsync(HttpStatusCode.Created)).Id();

        await using var scope = app.Services.CreateAsyncScope();
        var builder = scope.ServiceProvider.GetRequiredService<BuildHouseholdExport>();
        var whole = (await builder.BuildAsync(mine.Id, null, CancellationToken.None))!;
        var childs = (await builder.BuildAsync(mine.Id, new MemberScope(mine.Child, ShowProfessionalNames: false), CancellationToken.None))!;
        var heads = (await builder.BuildAsync(mine.Id, new MemberScope(mine.Head, ShowProfessionalNames: true), CancellationToken.None))!;

        // The household's bundle has everything, the departed member still in it.
        Assert.Equal([mine.Request, later], whole.Requests.Select(r => r.Id).ToArray());
        Assert.Contains(whole.Members, m => m.Id == mine.Child && m.DepartedOn is not null);
        Assert.Equal(2, whole.Plan!.Goals.Count);
        // The departed child's own: up to the departure day only, no one else's ZRM, no professionals' names.
        Assert.Equal(RequestWorld.Today(app).AddDays(-2), childs.Scope!.Until);
        Assert.Equal([mine.Request], childs.Requests.Select(r => r.Id).ToArray());
        Assert.DoesNotContain(childs.Plan!.Goals, g => g.Id == laterGoal);
        Assert.Empty(childs.Assessments);
        Assert.NotEmpty(childs.AccessLog);
        Assert.All(childs.AccessLog, l => Assert.Null(l.Actor));
        Assert.All(childs.AccessLog, l => Assert.True(l.OccurredAt < whole.Requests[1].SentAt));
        // A current member sees it all, their own ZRM included.
        Assert.Null(heads.Scope!.Until);
        Assert.Equal(2, heads.Requests.Count);
        Assert.Equal([mine.Assessment], heads.Assessments.Select(a => a.Id).ToArray());
        Assert.Contains(heads.AccessLog, l => l.Actor == s.Coach);
    }
}
