using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Plans;

namespace Frontlijn.IntegrationTests.Assessments;

/// <summary>ZRM 2017 assessments over real HTTP: codes and scores per member, newest first, need-to-know.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class AssessmentTests(ProviderApps apps)
{
    private static string Path(PlanWorld w) => $"/api/v1/households/{w.HouseholdId}/assessments";

    private static object AnAssessment(Guid memberId, DateOnly assessedOn, string phase = "intake", object? scores = null,
        string? instrumentVersion = null) => new
    {
        memberId, phase, assessedOn = PlanWorld.Iso(assessedOn), instrumentVersion,
        scores = scores ?? new Dictionary<string, int> { ["huisvesting"] = 2, ["financien"] = 1, ["sociaal-netwerk"] = 3 },
    };

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Assessments_AreReadBackPerMember_NewestFirst_WithScoresKeyedByDomainCode(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);

        var intake = await w.Coach.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today.AddDays(-90))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(w.HeadMemberId, intake.Id("memberId"));
        Assert.Equal("intake", intake["phase"]!.GetValue<string>());
        Assert.Equal("ZRM 2017", intake["instrumentVersion"]!.GetValue<string>());
        Assert.Equal(w.S.CoachId, intake["assessor"]!.Id());
        Assert.Equal(w.S.Coach, intake["assessor"]!["displayName"]!.GetValue<string>());
        // In the matrix's order, whatever order the client sent.
        Assert.Equal(["financien", "huisvesting", "sociaal-netwerk"], intake["scores"]!.AsObject().Select(s => s.Key));
        Assert.Equal(1, intake["scores"]!["financien"]!.GetValue<int>());

        var evaluation = await w.Coach.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today, "evaluation",
            new Dictionary<string, int> { ["financien"] = 3, ["huisvesting"] = 4 }, "ZRM 2017 (herzien)")).ExpectAsync(HttpStatusCode.Created);
        // The team lead may record one too (e.g. at closure when the coach is away).
        var child = await app.ClientFor(w.S.TeamLead).PostJson(Path(w), AnAssessment(w.ChildMemberId, w.Today.AddDays(-30),
            scores: new Dictionary<string, int> { ["tijdsbesteding"] = 5 })).ExpectAsync(HttpStatusCode.Created);
        var older = await w.Coach.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today.AddDays(-200))).ExpectAsync(HttpStatusCode.Created);

        foreach (var reader in new[] { w.S.TeamLead, w.S.SecondCoach, w.S.Coach })
        {
            var list = await app.ClientFor(reader).GetAsync(Path(w)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(w.HouseholdId, list.Id("householdId"));
            var members = list["members"]!.AsArray();
            Assert.Equal([w.HeadMemberId, w.ChildMemberId], members.Select(m => m!.Id("memberId")));
            var head = members[0]!["assessments"]!.AsArray();
            Assert.Equal([evaluation.Id(), intake.Id(), older.Id()], head.Select(a => a!.Id()));
            Assert.Equal("evaluation", head[0]!["phase"]!.GetValue<string>());
            Assert.Equal("ZRM 2017 (herzien)", head[0]!["instrumentVersion"]!.GetValue<string>());
            Assert.Equal(PlanWorld.Iso(w.Today), head[0]!["assessedOn"]!.GetValue<string>());
            Assert.Equal(new Dictionary<string, int> { ["financien"] = 3, ["huisvesting"] = 4 },
                head[0]!["scores"]!.AsObject().ToDictionary(s => s.Key, s => s.Value!.GetValue<int>()));
            Assert.Equal(["financien", "huisvesting", "sociaal-netwerk"], head[1]!["scores"]!.AsObject().Select(s => s.Key));
            var childs = Assert.Single(members[1]!["assessments"]!.AsArray())!;
            Assert.Equal(child.Id(), childs.Id());
            Assert.Equal(w.S.TeamLeadId, childs["assessor"]!.Id());
            Assert.Equal(w.S.TeamLead, childs["assessor"]!["displayName"]!.GetValue<string>());
            Assert.Equal(5, childs["scores"]!["tijdsbesteding"]!.GetValue<int>());
        }

        Assert.Equal(4, await w.CountAsync("assessments"));
        Assert.Equal(3 + 2 + 1 + 3, await w.CountAsync("assessment_scores"));
        Assert.Equal(4, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @householdId AND action = 'create' AND object_type = 'assessment'",
            new { householdId = w.HouseholdId }));
        Assert.Equal(3, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @householdId AND action = 'read' AND object_type = 'assessment'",
            new { householdId = w.HouseholdId }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task InvalidAssessment_Is400_ListingEveryField_AndWritesNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        var other = await w.Coach.RegisterHouseholdAsync(w.S.NeighbourhoodId, houseNumber: 30, familyName: "Hoekstra");
        var stranger = other["members"]![0]!.Id();
        var logged = await w.CountAsync("access_log");

        static HashSet<string> Fields(JsonNode problem) => problem["errors"]!.AsObject().Select(e => e.Key).ToHashSet();

        var everything = await w.Coach.PostJson(Path(w), new
        {
            phase = "screening", assessedOn = PlanWorld.Iso(w.Today.AddDays(1)), instrumentVersion = " ",
            scores = new Dictionary<string, int> { ["wonen"] = 3, ["financien"] = 6, ["justitie"] = 0 },
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new HashSet<string> { "memberId", "phase", "assessedOn", "instrumentVersion", "scores", "scores.financien", "scores.justitie" },
            Fields(everything));
        Assert.Contains("wonen", everything["errors"]!["scores"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var unknownCode = await w.Coach.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today,
            scores: new Dictionary<string, int> { ["Financien"] = 3 })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["scores"], Fields(unknownCode));
        var six = await w.Coach.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today,
            scores: new Dictionary<string, int> { ["huisvesting"] = 6 })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["scores.huisvesting"], Fields(six));
        var none = await w.Coach.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today, scores: new Dictionary<string, int>()))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["scores"], Fields(none));
        var otherHousehold = await w.Coach.PostJson(Path(w), AnAssessment(stranger, w.Today)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["memberId"], Fields(otherHousehold));
        await w.Coach.PostJson(Path(w), AnAssessment(Guid.CreateVersion7(), w.Today)).ExpectAsync(HttpStatusCode.BadRequest);
        // A score is a number, not text; a fraction is no score.
        await w.Coach.PostRaw(Path(w), $$$"""{"memberId":"{{{w.HeadMemberId}}}","phase":"intake","assessedOn":"{{{PlanWorld.Iso(w.Today)}}}","scores":{"financien":"3"}}""")
            .ExpectAsync(HttpStatusCode.BadRequest);
        await w.Coach.PostRaw(Path(w), $$$"""{"memberId":"{{{w.HeadMemberId}}}","phase":"intake","assessedOn":"{{{PlanWorld.Iso(w.Today)}}}","scores":{"financien":2.5}}""")
            .ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal(0, await w.CountAsync("assessments"));
        Assert.Equal(0, await w.CountAsync("assessment_scores"));
        Assert.Equal(logged, await w.CountAsync("access_log"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Assessments_AreNeedToKnow_AndRecordedByTheHouseholdsCoachOrTheTeamLead(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await PlanWorld.CreateAsync(app);
        await w.Coach.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today)).ExpectAsync(HttpStatusCode.Created);

        foreach (var outsider in new[] { w.S.OtherCoach, w.S.OtherTeamLead, w.S.BackOffice, "admin" })
        {
            var client = app.ClientFor(outsider);
            // Another team: 404 (need-to-know); a role that never assesses (back office, admin): 403.
            var refused = outsider == w.S.BackOffice || outsider == "admin" ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
            await client.GetAsync(Path(w)).ExpectAsync(refused);
            await client.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today)).ExpectAsync(refused);
        }
        await w.Coach.GetAsync($"/api/v1/households/{Guid.CreateVersion7()}/assessments").ExpectAsync(HttpStatusCode.NotFound);
        // Another coach of the team reads, but it is not their household to assess.
        var bram = app.ClientFor(w.S.SecondCoach);
        await bram.GetAsync(Path(w)).ExpectAsync(HttpStatusCode.OK);
        await bram.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today)).ExpectAsync(HttpStatusCode.Forbidden);

        // Closing: the closure measurement is still recorded; closed: nothing more.
        await w.Coach.PostJson($"/api/v1/households/{w.HouseholdId}/closure", new { reason = "Zelfredzaam" }).ExpectAsync(HttpStatusCode.OK);
        await w.Coach.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today, "closure")).ExpectAsync(HttpStatusCode.Created);
        await w.Coach.PostJson($"/api/v1/households/{w.HouseholdId}/closure", new { reason = "Zelfredzaam" }).ExpectAsync(HttpStatusCode.OK);
        await w.Coach.PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today, "closure")).ExpectAsync(HttpStatusCode.Conflict);
        await app.ClientFor(w.S.TeamLead).PostJson(Path(w), AnAssessment(w.HeadMemberId, w.Today, "closure")).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Equal(2, await w.CountAsync("assessments"));
        // Four refused reads, and (second round: every refused attempt is logged) the four outsiders' refused changes
        // plus Bram's (his team's household, but not his to assess).
        Assert.Equal(4, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @householdId AND result = 'denied' AND action = 'read'", new { householdId = w.HouseholdId }));
        Assert.Equal(5, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @householdId AND result = 'denied' AND action = 'update'", new { householdId = w.HouseholdId }));
    }
}
