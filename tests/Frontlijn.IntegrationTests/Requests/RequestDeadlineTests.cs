using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Requests;

/// <summary>
/// The deadline sweep, run by the test (jobs do not run by themselves here) with the fake clock moved through a week:
/// reminder before the due date, overdue after it, escalation to the escalation contact and then to the team lead —
/// for exactly the running requests that are late, once, however often or concurrently the sweep runs.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class RequestDeadlineTests(ProviderApps apps)
{
    private static readonly WorkingDays Calendar = new();

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Sweep_RemindsMarksOverdueAndEscalates_ExactlyTheLateRunningRequests_Once(string provider)
    {
        var app = await apps.ResetAsync(provider);
        // A Monday 09:00 of a week without holidays (and the Monday after it), so the days below are plain working days.
        var monday = RequestWorld.Today(app).AddDays(1);
        while (monday.DayOfWeek != DayOfWeek.Monday || Enumerable.Range(0, 8).Any(i => i != 5 && i != 6 && !Calendar.IsWorkingDay(monday.AddDays(i))))
        {
            monday = monday.AddDays(1);
        }
        RequestWorld.SetAmsterdamTime(app, monday, new TimeOnly(9, 0));
        var w = await RequestWorld.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var contactId = (await admin.PostJson("/api/v1/users", new
        {
            username = "schuldhulp.marieke", displayName = "Marieke", role = "back-office", organisationId = w.S.OrganisationId,
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        await admin.PutJson($"/api/v1/organisations/{w.S.OrganisationId}/escalation-contact", new { userId = contactId })
            .ExpectAsync(HttpStatusCode.OK);
        var pieter = await w.UserIdAsync(w.S.BackOffice);

        var late = (await w.SendAsync("urgent")).Id();       // due Tuesday 23:59:59
        var onTime = (await w.SendAsync("normal")).Id();     // due next Monday 23:59:59
        var answered = (await w.SendAsync("urgent")).Id();
        await w.ValidChangeAsync(answered, "acknowledged", 1);
        await w.ValidChangeAsync(answered, "answered", 2);
        var suspended = (await w.SendAsync("urgent")).Id();
        await w.ValidChangeAsync(suspended, "suspended", 1);
        var acknowledgedLate = (await w.SendAsync("urgent")).Id();
        await w.ValidChangeAsync(acknowledgedLate, "acknowledged", 1);
        Assert.Equal(monday.AddDays(1), WorkingDays.LocalDate((await w.GetAsync(late))["dueAt"]!.GetValue<DateTimeOffset>()));

        Assert.Equal(new RequestDeadlines.RunResult(0, 0, 0, 0), await SweepAsync(app));

        RequestWorld.SetAmsterdamTime(app, monday.AddDays(1), new TimeOnly(12, 0)); // Tuesday: due tonight
        Assert.Equal(new RequestDeadlines.RunResult(2, 0, 0, 0), await SweepAsync(app));

        RequestWorld.SetAmsterdamTime(app, monday.AddDays(2), new TimeOnly(0, 30)); // Wednesday: overdue
        Assert.Equal(new RequestDeadlines.RunResult(0, 2, 0, 0), await SweepAsync(app));
        Assert.True((await w.GetAsync(late))["overdue"]!.GetValue<bool>());
        Assert.False((await w.GetAsync(onTime))["overdue"]!.GetValue<bool>());
        Assert.False((await w.GetAsync(suspended))["overdue"]!.GetValue<bool>());

        RequestWorld.SetAmsterdamTime(app, monday.AddDays(3), new TimeOnly(0, 30)); // Thursday: a working day of silence
        // Two nodes sweeping at once: each step still happens once.
        var both = await Task.WhenAll(SweepAsync(app), SweepAsync(app));
        Assert.Equal(2, both.Sum(r => r.EscalatedToContact));
        Assert.Equal(0, both.Sum(r => r.Reminded + r.Overdue + r.EscalatedToTeamLead));

        RequestWorld.SetAmsterdamTime(app, monday.AddDays(5), new TimeOnly(0, 30)); // Saturday: three working days of silence
        Assert.Equal(new RequestDeadlines.RunResult(0, 0, 0, 2), await SweepAsync(app));
        Assert.Equal(new RequestDeadlines.RunResult(0, 0, 0, 0), await SweepAsync(app));

        Assert.Equal(2, (await w.GetAsync(late))["escalationLevel"]!.GetValue<int>());
        Assert.Equal(0, (await w.GetAsync(onTime))["escalationLevel"]!.GetValue<int>());
        Assert.Equal(0, (await w.GetAsync(answered))["escalationLevel"]!.GetValue<int>());
        Assert.Equal(0, (await w.GetAsync(suspended))["escalationLevel"]!.GetValue<int>());

        async Task<string[]> Inbox(Guid userId, string type) =>
            (await DistinctRequestsAsync(app, userId, type)).Select(g => g.ToString()).Order(StringComparer.Ordinal).ToArray();
        string[] lateOnes = [late.ToString(), acknowledgedLate.ToString()];
        Array.Sort(lateOnes, StringComparer.Ordinal);
        Assert.Equal(lateOnes, await Inbox(pieter, "nl.frontlijn.request.reminder"));
        Assert.Equal(lateOnes, await Inbox(pieter, "nl.frontlijn.request.overdue"));
        Assert.Equal(lateOnes, await Inbox(w.S.CoachId, "nl.frontlijn.request.overdue"));
        Assert.Equal(lateOnes, await Inbox(contactId, "nl.frontlijn.request.escalated"));
        Assert.Equal(lateOnes, await Inbox(w.S.TeamLeadId, "nl.frontlijn.request.escalated"));
        Assert.Empty(await Inbox(pieter, "nl.frontlijn.request.escalated"));
        Assert.Empty(await Inbox(w.S.OtherTeamLeadId, "nl.frontlijn.request.escalated"));
        // Overdue: both back-office users and the coach, per late request; escalated: the contact, then the team lead.
        Assert.Equal(2 * 3, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_inbox WHERE type = 'nl.frontlijn.request.overdue'"));
        Assert.Equal(2 * 2, await app.ScalarAsync<int>("SELECT COUNT(*) FROM notification_inbox WHERE type = 'nl.frontlijn.request.escalated'"));

        // An answer ends it; an extension restarts the clock and the escalation ladder.
        await w.ValidChangeAsync(acknowledgedLate, "answered", 2);
        await w.ValidChangeAsync(late, "extended", 1);
        var extended = await w.GetAsync(late);
        Assert.Equal(0, extended["escalationLevel"]!.GetValue<int>());
        Assert.False(extended["overdue"]!.GetValue<bool>());
        Assert.Equal(new RequestDeadlines.RunResult(0, 0, 0, 0), await SweepAsync(app));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EscalationContact_MustBeABackOfficeUserOfThatOrganisation(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var other = (await admin.GetAsync($"/api/v1/users?organisationId={s.OtherOrganisationId}").ExpectAsync(HttpStatusCode.OK))["items"]![0]!.Id();
        await admin.PutJson($"/api/v1/organisations/{s.OrganisationId}/escalation-contact", new { userId = other }).ExpectAsync(HttpStatusCode.BadRequest);
        await admin.PutJson($"/api/v1/organisations/{s.OrganisationId}/escalation-contact", new { userId = s.CoachId }).ExpectAsync(HttpStatusCode.BadRequest);
        await admin.PutJson($"/api/v1/organisations/{Guid.CreateVersion7()}/escalation-contact", new { userId = (Guid?)null }).ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.BackOffice).PutJson($"/api/v1/organisations/{s.OrganisationId}/escalation-contact", new { userId = (Guid?)null })
            .ExpectAsync(HttpStatusCode.Forbidden);
    }

    private static async Task<RequestDeadlines.RunResult> SweepAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RequestDeadlines>().RunAsync(CancellationToken.None);
    }

    private static async Task<IReadOnlyList<Guid>> DistinctRequestsAsync(TestApp app, Guid recipientId, string type)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Frontlijn.Web.Infrastructure.Data.DbSession>();
        var ids = (await db.QueryAsync<Guid>(
            "SELECT request_id FROM notification_inbox WHERE recipient_id = @recipientId AND type = @type",
            new { recipientId, type })).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        return ids;
    }
}
