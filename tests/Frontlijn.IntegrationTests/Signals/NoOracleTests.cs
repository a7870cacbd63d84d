using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Signals;

/// <summary>SPEC "Signals: no oracle": an outsider learns no household id, and an address alone reveals nothing.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class NoOracleTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BackOffice_ProbingByBsnAndByAddress_LearnsNoHouseholdId_AndCannotTellAMatchedAddressFromNoMatch(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 12, bsn: Bsn1)).Id();
        var probe = app.ClientFor(s.BackOffice);

        // Same street and PC4, one number with a household in care (with a coach), one with nobody known.
        var known = await probe.PostJson("/api/v1/signals", ASignal(Address(houseNumber: 12))).ExpectAsync(HttpStatusCode.Created);
        var unknown = await probe.PostJson("/api/v1/signals", ASignal(Address(houseNumber: 14))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(WithoutSignalId(unknown), WithoutSignalId(known));
        Assert.Equal(["routedTo", "signalId"], known.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["displayName", "kind", "teamName"], known["routedTo"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("team", known["routedTo"]!["kind"]!.GetValue<string>());
        // It did reach the coach: routing is unchanged, only the answer is.
        Assert.Equal(household, await app.ScalarAsync<Guid>("SELECT household_id FROM signals WHERE id = @id", new { id = known.Id("signalId") }));
        Assert.Equal(s.CoachId, await app.ScalarAsync<Guid>("SELECT coach_id FROM signals WHERE id = @id", new { id = known.Id("signalId") }));

        // Knowing the person (BSN) earns the coach's name, still no household.
        var byBsn = await probe.PostJson("/api/v1/signals", ASignal(Address(postalCode: "7544AA", houseNumber: 3, city: "Enschede"),
            members: [new { familyName = "Bosma", bsn = Bsn1 }])).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("coach", byBsn["routedTo"]!["kind"]!.GetValue<string>());
        Assert.Equal(s.Coach, byBsn["routedTo"]!["displayName"]!.GetValue<string>());
        Assert.Equal("Frontlijnteam Oost", byBsn["routedTo"]!["teamName"]!.GetValue<string>());
        foreach (var answer in new[] { known, unknown, byBsn })
        {
            Assert.Null(answer["householdId"]);
            Assert.Null(answer["matched"]);
            Assert.DoesNotContain(household.ToString(), answer.ToJsonString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(s.CoachId.ToString(), answer.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CoachAndTeamLeadOfTheHouseholdsTeam_GetTheFullAnswer_ACoachOfAnotherTeamDoesNot(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = (await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 12)).Id();

        foreach (var insider in new[] { s.SecondCoach, s.TeamLead })
        {
            var full = await app.ClientFor(insider).PostJson("/api/v1/signals", ASignal(Address(houseNumber: 12)))
                .ExpectAsync(HttpStatusCode.Created);
            Assert.True(full["matched"]!.GetValue<bool>());
            Assert.Equal(household, full.Id("householdId"));
            Assert.Equal("coach", full["routedTo"]!["kind"]!.GetValue<string>());
            Assert.Equal(s.CoachId, full["routedTo"]!.Id("coachId"));
            Assert.Equal(s.Coach, full["routedTo"]!["displayName"]!.GetValue<string>());
            Assert.Equal(s.TeamId, full["routedTo"]!.Id("teamId"));
        }
        var outsider = await app.ClientFor(s.OtherCoach).PostJson("/api/v1/signals", ASignal(Address(houseNumber: 12)))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Null(outsider["householdId"]);
        Assert.Equal("team", outsider["routedTo"]!["kind"]!.GetValue<string>());
    }

    private static string WithoutSignalId(JsonNode answer)
    {
        var copy = answer.DeepClone().AsObject();
        copy.Remove("signalId");
        return copy.ToJsonString();
    }
}
