using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Requests;

/// <summary>
/// Request creation sends the household lock, its read and the addressee (organisation, service, consents) as one
/// command, and the request, its history and its access-log row as another (issue 12, branch creation2). What must
/// hold whatever the number of round trips: exactly one success row per created request, with the request as object;
/// a refused or conflicting attempt leaves no request, no history and no success row; the consent the checks see is
/// the one current under the household's lock. And on PostgreSQL the service's statements are prepared by the driver.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class RequestCreationStatementsTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Creation_WritesTheRequestItsHistoryAndOneCreateRow_RefusalsAndConflictsWriteNone(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);

        var sent = await w.SendAsync();
        var id = sent.Id();
        Assert.Equal(w.ConsentId, sent.Id("consentId"));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM requests WHERE id = @id AND household_id = @household AND status = 'sent' AND version = 1",
            new { id, household = w.HouseholdId }));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM request_status_changes WHERE request_id = @id AND version = 1 AND change_kind = 'sent'", new { id }));
        // One row, and exactly the row the separate INSERT wrote: the coach as actor on nobody's behalf, the request as
        // object, its household, success, from the loopback client, at the service's clock.
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE object_id = @id", new { id }));
        Assert.Equal(1, await app.ScalarAsync<int>("""
            SELECT COUNT(*) FROM access_log
            WHERE object_id = @id AND action = 'create' AND object_type = 'request' AND household_id = @household
              AND actor_id = @coach AND actor_member_id IS NULL AND on_behalf_of IS NULL AND actor_organisation_id IS NULL
              AND result = 'success' AND origin = '127.0.0.1' AND occurred_at = @now
            """, new { id, household = w.HouseholdId, coach = w.S.CoachId, now = app.Clock.GetUtcNow() }));

        async Task<(int Requests, int History, int Created)> CountsAsync() => (
            await app.ScalarAsync<int>("SELECT COUNT(*) FROM requests"),
            await app.ScalarAsync<int>("SELECT COUNT(*) FROM request_status_changes"),
            await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE action = 'create' AND object_type = 'request' AND result = 'success'"));
        var before = await CountsAsync();
        Assert.Equal((1, 1, 1), before);

        // The consent is withdrawn (a change under the household's lock); the next request without a legal basis sees
        // it through the addressee read that now travels with the lock: 409 with the reason, and nothing written.
        await w.Coach.DeleteAsync($"/api/v1/households/{w.HouseholdId}/consents/{w.ConsentId}").ExpectAsync(HttpStatusCode.OK);
        var conflict = await w.SendAsync(expected: HttpStatusCode.Conflict);
        Assert.Contains("ingetrokken", conflict["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());

        // Not the household's coach (same team): 403 and a denied row; another team's coach: 404 and a denied row;
        // an unknown organisation: 404. None of them writes a request, a history entry or a success row.
        var denied = await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE household_id = @household AND result = 'denied'",
            new { household = w.HouseholdId });
        await w.SendAsync(expected: HttpStatusCode.Forbidden, legalBasis: "zwaarwegend-belang", client: app.ClientFor(w.S.SecondCoach));
        await w.SendAsync(expected: HttpStatusCode.NotFound, legalBasis: "zwaarwegend-belang", client: app.ClientFor(w.S.OtherCoach));
        var unknown = await w.SendAsync(expected: HttpStatusCode.NotFound, legalBasis: "zwaarwegend-belang", organisationId: Guid.NewGuid());
        Assert.Contains("organisatie", unknown["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await CountsAsync());
        Assert.Equal(denied + 2, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @household AND result = 'denied'", new { household = w.HouseholdId }));

        // With a legal basis it goes through again, with its own single row.
        var second = (await w.SendAsync(legalBasis: "zwaarwegend-belang")).Id();
        Assert.Equal((2, 2, 2), await CountsAsync());
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM access_log WHERE object_id = @second", new { second }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AStatementRunFiveTimes_IsPreparedOnPostgres_AndAnswersTheSame(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        await w.SendAsync();

        // One scope = one DbSession = one physical connection, as in a request. Npgsql prepares a statement on its
        // fifth run there (PostgresDialect: Max Auto Prepare 64, Auto Prepare Min Usages 5).
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        const string Sql = "SELECT COUNT(*) FROM requests WHERE household_id = @household AND status = @status";
        var answers = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await db.ExecuteScalarAsync<long>(Sql, new { household = w.HouseholdId, status = "sent" }));
        }
        Assert.All(answers, a => Assert.Equal(1, a));
        if (provider == Providers.Postgres)
        {
            // pg_prepared_statements is the session's own list: the server holds a prepared statement of this text.
            Assert.Equal(1, await db.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM requests WHERE household_id = $1 AND status = $2%'"));
            Assert.Equal("off", await db.ExecuteScalarAsync<string>("SHOW jit"));
        }
        else
        {
            Assert.Equal(DatabaseProvider.Sqlite, db.Dialect.Provider);
        }
    }
}
