using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.Consents;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Objectives;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Demo;

/// <summary>
/// Team objectives and costs (issue 14), in a file of its own: tariffs on the demo services, four households of the
/// Leeuwarden-Oost team with half a year of requests behind them, and two objectives for that team — the average
/// number of providers per household on track, the share of requests answered on time behind in the latest month — so
/// /team/doelen and /team/kosten show something on first start, and the bell of teamlead.sanne the behind alert.
/// <para>
/// Runs before the other households are seeded, so the tariffs are in force when their requests are sent too (a request
/// keeps the tariff of the moment it was sent). The history itself cannot be made by commands alone, which all happen
/// "now": the households and requests are made by the users' own commands, then moved back in time with a few UPDATEs
/// (as the report tests do), relative to the clock, so the complete months before this one have figures.
/// </para>
/// </summary>
public sealed partial class DemoSeeder
{
    internal const string BackdateHouseholdSql = "UPDATE households SET created_at = @at WHERE id = @id";

    internal const string BackdateAssignmentSql = "UPDATE coach_assignments SET from_at = @at WHERE household_id = @id AND to_at IS NULL";

    internal const string BackdateRequestSql = """
        UPDATE requests SET sent_at = @sent, due_at = @due, closed_at = @closed, updated_at = @closed WHERE id = @id
        """;

    internal const string BackdateStatusChangesSql = """
        UPDATE request_status_changes
        SET due_at = @due,
            changed_at = CASE to_status WHEN 'sent' THEN @sent WHEN 'acknowledged' THEN @acknowledged ELSE @closed END
        WHERE request_id = @id
        """;

    // The organisation has been involved since its first request (the recorder made the involvement "now").
    internal const string BackdateInvolvementSql = """
        UPDATE involvements SET since = @sent
        WHERE household_id = @householdId AND organisation_id = @organisationId AND since > @sent
        """;

    private sealed record HistoryRequest(int Household, Organisation Organisation, string Service, int MonthsAgo, int Day, bool OnTime);

    private async Task SeedObjectivesAndCostsAsync(Guid heechterp, Guid camminghaburen, User anna, User bram, User sanne,
        User pieter, User lisa, Organisation schuldhulp, Organisation woning, Organisation ggz, CancellationToken ct)
    {
        async Task<T> As<T>(User? actor, Func<IServiceProvider, Task<T>> work)
        {
            await using var scope = scopes.CreateAsyncScope();
            if (actor is not null)
            {
                scope.ServiceProvider.GetRequiredService<CurrentUser>()
                    .ActAs(actor.Id, actor.Role, actor.TeamId, actor.OrganisationId, actor.DisplayName);
            }
            return await work(scope.ServiceProvider);
        }
        Task<T> Send<T>(User? actor, Mediator.ICommand<T> command) =>
            As(actor, sp => sp.GetRequiredService<IMediator>().Send(command, ct).AsTask());

        // Tariffs: what a debt intake, a housing arrangement or a consultation costs the municipality. The police bills
        // nothing, and neither does income support (the municipality's own department).
        async Task Tariff(Organisation organisation, string code, decimal amount, string per)
        {
            var service = organisation.Services.Single(s => s.Code == code);
            await Send(null, new PutService.Command(organisation.Id, code, service.Name, service.ResponseDays, service.UrgentResponseDays,
                true, new ServiceTariff(amount, per)));
        }
        await Tariff(schuldhulp, "schuldhulp-intake", 350m, ServiceTariff.PerRequest);
        await Tariff(schuldhulp, "budgetbeheer", 95m, ServiceTariff.PerMonth);
        await Tariff(woning, "huurachterstand", 125m, ServiceTariff.PerRequest);
        await Tariff(woning, "woonoverlast", 82.50m, ServiceTariff.PerRequest);
        await Tariff(ggz, "ggz-consult", 145.50m, ServiceTariff.PerRequest);

        var today = WorkingDays.LocalDate(clock.GetUtcNow());
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        static MemberInput Person(string given, string family, string born, string role) =>
            new(given, family, DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), null, role);
        var households = new[]
        {
            (Coach: anna, Detail: await Send(anna, new RegisterHousehold.Command(heechterp,
                new AddressInput("Valeriusstraat", 21, null, "8924 EA", "Leeuwarden"),
                [Person("Gerrit", "Hofstra", "1969-08-14", "head"), Person("Wilma", "Hofstra", "1971-03-30", "partner")]))),
            (Coach: anna, Detail: await Send(anna, new RegisterHousehold.Command(heechterp,
                new AddressInput("Schieringerweg", 12, null, "8924 AB", "Leeuwarden"),
                [Person("Nadia", "Bouzid", "1995-12-02", "head"), Person("Yara", "Bouzid", "2019-05-21", "child")]))),
            (Coach: bram, Detail: await Send(bram, new RegisterHousehold.Command(camminghaburen,
                new AddressInput("Kalverdijkje", 44, null, "8935 EG", "Leeuwarden"),
                [Person("Henk", "Wiersma", "1958-02-11", "head")]))),
            (Coach: bram, Detail: await Send(bram, new RegisterHousehold.Command(camminghaburen,
                new AddressInput("Camminghaburen", 120, null, "8935 AM", "Leeuwarden"),
                [Person("Esther", "Kuipers", "1988-09-09", "head"), Person("Daan", "Kuipers", "2014-01-17", "child")]))),
        };

        // Half a year of requests: on time most months, and the latest complete month mostly late, so the objective on
        // answering on time is behind there (1 of 3), while the providers per household (one or two) stay on track.
        var history = new HistoryRequest[]
        {
            new(0, schuldhulp, "schuldhulp-intake", 6, 2, true), new(1, woning, "huurachterstand", 6, 8, true),
            new(0, schuldhulp, "budgetbeheer", 5, 4, true), new(2, woning, "huurachterstand", 5, 12, true),
            new(1, schuldhulp, "schuldhulp-intake", 4, 3, true), new(2, schuldhulp, "schuldhulp-intake", 4, 9, true),
            new(3, woning, "woonoverlast", 4, 15, false),
            new(3, schuldhulp, "schuldhulp-intake", 3, 5, true), new(0, woning, "huurachterstand", 3, 11, true),
            new(1, woning, "woonoverlast", 2, 2, true), new(2, schuldhulp, "budgetbeheer", 2, 8, true),
            new(3, woning, "huurachterstand", 2, 14, false),
            new(0, woning, "woonoverlast", 1, 3, false), new(1, schuldhulp, "budgetbeheer", 1, 9, true),
            new(3, schuldhulp, "budgetbeheer", 1, 15, false),
        };
        var start = thisMonth.AddMonths(-7).AddDays(3);
        var sent = new List<(Guid Id, HistoryRequest Request)>();
        foreach (var r in history)
        {
            var (coach, household) = households[r.Household];
            var head = household.Members.First(m => m.Role == "head");
            await Send(coach, new RecordConsent.Command(household.Id, r.Organisation.Id, r.Service, head.Id, start, today.AddYears(1)));
            var request = await Send(coach, new SendRequest.Command(household.Id, r.Organisation.Id, r.Service,
                $"Graag uw inzet voor het huishouden {household.Members[0].FamilyName} ({r.Organisation.Services.Single(s => s.Code == r.Service).Name}).",
                "normal", null));
            var staff = r.Organisation.Id == schuldhulp.Id ? pieter : lisa;
            await Send(staff, new ChangeRequestStatus.Command(request.Id, "acknowledged", null, null, null, null, 1));
            await Send(staff, new ChangeRequestStatus.Command(request.Id, "answered", null, null,
                "Afgehandeld; de afspraken staan in het plan.", null, 2));
            sent.Add((request.Id, r));
        }

        await As<int>(null, async sp =>
        {
            var db = sp.GetRequiredService<DbSession>();
            await db.BeginAsync(ct);
            var since = WorkingDays.StartOfDay(start).AddHours(9);
            foreach (var (_, household) in households)
            {
                await db.ExecuteAsync(BackdateHouseholdSql, new { at = since, id = household.Id }, ct);
                await db.ExecuteAsync(BackdateAssignmentSql, new { at = since, id = household.Id }, ct);
            }
            foreach (var (id, r) in sent.OrderBy(s => -s.Request.MonthsAgo).ThenBy(s => s.Request.Day))
            {
                var at = WorkingDays.StartOfDay(thisMonth.AddMonths(-r.MonthsAgo).AddDays(r.Day - 1)).AddHours(10);
                var due = at.AddDays(7);
                var closed = r.OnTime ? at.AddDays(3) : at.AddDays(12);
                await db.ExecuteAsync(BackdateRequestSql, new { sent = at, due, closed, id }, ct);
                await db.ExecuteAsync(BackdateStatusChangesSql, new { sent = at, acknowledged = at.AddDays(1), closed, due, id }, ct);
                await db.ExecuteAsync(BackdateInvolvementSql, new
                {
                    sent = at, householdId = households[r.Household].Detail.Id, organisationId = r.Organisation.Id,
                }, ct);
            }
            // The report summary (issue 12) is kept by the service's writers; these backdating statements are not
            // among them, so the households' summaries are refreshed from the rows in the same transaction.
            foreach (var (_, household) in households)
            {
                await Reports.HouseholdSummary.RefreshAsync(db, household.Id, ct);
            }
            await db.CommitAsync(ct);
            return 0;
        });

        // A year from the first month with figures: six complete months now, six to come.
        var from = thisMonth.AddMonths(-6);
        var to = from.AddYears(1).AddDays(-1);
        await Send(sanne, new SetTeamObjective.Command(sanne.TeamId!.Value, ObjectiveMetrics.AverageProvidersPerHousehold, 2.5, from, to));
        await Send(sanne, new SetTeamObjective.Command(sanne.TeamId!.Value, ObjectiveMetrics.RequestsAnsweredOnTimeShare, 0.8, from, to));
        // What the daily job would do this morning: the objective behind last month reaches the team lead's bell.
        await As(null, sp => sp.GetRequiredService<ObjectiveBehindAlerts>().RunAsync(ct));
        logger.LogInformation("Demo objectives and costs: tariffs, 4 households with half a year of requests, 2 objectives (sign in as teamlead.sanne)");
    }
}
