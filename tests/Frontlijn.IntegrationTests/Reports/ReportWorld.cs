using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Reports;

/// <summary>
/// Generated, seeded data for the report tests: households of the scenario's team (registered through the API, then
/// moved back in time), closed ones among them, and an involvement register over several years with organisations,
/// outside providers spelled in different ways, professionals by account and by name, ended and open.
/// </summary>
public sealed record ReportWorld(TestApp App, Scenario S, IReadOnlyList<Guid> Households, IReadOnlyList<Guid> Organisations)
{
    public static readonly DateTimeOffset Origin = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<ReportWorld> CreateAsync(TestApp app, int households = 14, int seed = 20261128)
    {
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var organisations = new List<Guid> { s.OrganisationId, s.OtherOrganisationId };
        for (var i = 0; i < 8; i++)
        {
            organisations.Add((await admin.PostJson("/api/v1/organisations", new
            {
                name = $"Organisatie {i}", kind = "ggz", services = new[] { new { code = "consult", name = "Consult" } },
            }).ExpectAsync(HttpStatusCode.Created)).Id());
        }
        var coach = app.ClientFor(s.Coach);
        var ids = new List<Guid>();
        for (var i = 0; i < households; i++)
        {
            ids.Add((await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 100 + i)).Id());
        }
        // A household of the other team: it must never appear in this team's report.
        await app.ClientFor(s.OtherCoach).RegisterHouseholdAsync(s.OtherNeighbourhoodId, postalCode: "7544 aa", houseNumber: 1);

        var random = new Random(seed);
        var outside = new[] { "Buurtteam De Wissel", "buurtteam de wissel", "Humanitas", "Thuiszorg Noord", " HUMANITAS " };
        var names = new[] { "Joke", "Henk", null, "Fatma" };
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        await db.BeginAsync(CancellationToken.None);
        foreach (var householdId in ids)
        {
            var created = Origin.AddDays(random.Next(0, 1000)).AddHours(random.Next(0, 24));
            DateTimeOffset? closed = random.Next(4) == 0 ? created.AddDays(random.Next(30, 400)) : null;
            await db.ExecuteAsync(
                "UPDATE households SET created_at = @created, closed_at = @closed, status = @status WHERE id = @householdId",
                new { created, closed, status = closed is null ? "active" : "closed", householdId });
            var count = random.Next(0, 9);
            for (var j = 0; j < count; j++)
            {
                var since = created.AddDays(random.Next(-400, 500));
                DateTimeOffset? ended = random.Next(3) == 0 ? since.AddDays(random.Next(1, 600)) : null;
                var byOrganisation = random.Next(3) > 0;
                var provider = outside[random.Next(outside.Length)];
                var byAccount = byOrganisation && random.Next(2) == 0;
                await db.ExecuteAsync("""
                    INSERT INTO involvements (id, household_id, organisation_id, professional_id, source, since, last_activity_at,
                                              ended_at, end_reason, provider_name, provider_key, professional_name)
                    VALUES (@id, @householdId, @organisationId, @professionalId, 'manual', @since, @since, @ended, @endReason,
                            @providerName, @providerKey, @professionalName)
                    """, new
                {
                    id = Guid.NewGuid(), householdId,
                    organisationId = byOrganisation ? organisations[random.Next(organisations.Count)] : (Guid?)null,
                    professionalId = byAccount ? (random.Next(2) == 0 ? s.CoachId : s.SecondCoachId) : (Guid?)null,
                    since, ended, endReason = ended is null ? null : "explicit",
                    providerName = byOrganisation ? null : provider,
                    providerKey = byOrganisation ? null : Normalise(provider),
                    professionalName = byAccount ? null : names[random.Next(names.Length)],
                });
            }
            // The history above is written around the service, as a migration or an operator would: the household's
            // report summary is brought up to date the way every writer of the service does it.
            await HouseholdSummary.RefreshAsync(db, householdId, CancellationToken.None);
        }
        await db.CommitAsync(CancellationToken.None);
        return new ReportWorld(app, s, ids, organisations);
    }

    /// <summary>The same normalisation the service applies to outside providers' names.</summary>
    public static string Normalise(string name) =>
        string.Join(' ', name.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
