using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Meetings;
using Frontlijn.Web.Features.ReplyLinks;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Demo;

/// <summary>
/// Outside the building (issue 13), in a file of its own: a foundation without accounts that answered a request
/// through its reply link, and two households that show the coordination burden at a glance on the team lead's
/// report page — the Vissers with many meetings and little progress, the Kosters with one home visit and a clear
/// improvement.
/// </summary>
public sealed partial class DemoSeeder
{
    private async Task SeedOutsideTheBuildingAsync(Guid neighbourhoodId, User anna, Organisation schuldhulp, Organisation ggz,
        CancellationToken ct)
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

        var today = WorkingDays.LocalDate(clock.GetUtcNow());
        var maatje = await Send<Organisation>(null, new CreateOrganisation.Command("Stichting Schuldenmaatje Leeuwarden", "vrijwilligers",
            [new CreateOrganisation.ServiceInput("maatje-koppeling", "Koppeling aan een vrijwillig maatje", 10, 3)], null, null,
            ReplyByLink: true, FunctionalEmail: "verzoeken@schuldenmaatje.example"));

        static MemberInput Person(string given, string family, string born, string role) =>
            new(given, family, DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), null, role);
        var visser = await Send(anna, new RegisterHousehold.Command(neighbourhoodId,
            new AddressInput("Heechterperweg", 3, null, "8925 KL", "Leeuwarden"),
            [Person("Marco", "Visser", "1980-04-02", "head"), Person("Linda", "Visser", "1982-10-19", "partner"),
             Person("Jesse", "Visser", "2011-06-12", "child")]));
        var koster = await Send(anna, new RegisterHousehold.Command(neighbourhoodId,
            new AddressInput("Schieringerweg", 55, null, "8924 MN", "Leeuwarden"),
            [Person("Ilse", "Koster", "1992-01-27", "head")]));

        // Many meetings, little progress: seven consultations in three months, and the ZRM hardly moves.
        var crowd = new[]
        {
            new MeetingParticipant(null, anna.Id, null), new MeetingParticipant(schuldhulp.Id, null, null),
            new MeetingParticipant(ggz.Id, null, null), new MeetingParticipant(null, null, "Leerplichtambtenaar"),
            new MeetingParticipant(null, null, "Wijkagent"), new MeetingParticipant(null, null, "Jeugdarts"),
        };
        var kinds = new[] { "round-table", "case-consultation", "case-consultation", "round-table", "case-consultation", "home-visit", "round-table" };
        for (var i = 0; i < kinds.Length; i++)
        {
            var count = kinds[i] == "home-visit" ? 2 : crowd.Length - i % 2;
            await Send(anna, new RecordMeeting.Command(visser.Id, today.AddDays(-84 + i * 12), kinds[i], kinds[i] == "home-visit" ? 60 : 90,
                crowd.Take(count).Select(p => (MeetingParticipant?)p).ToList(), kinds[i] == "home-visit"));
        }
        // One home visit, and a clear improvement.
        await Send(anna, new RecordMeeting.Command(koster.Id, today.AddDays(-60), "home-visit", 60,
            [new MeetingParticipant(null, anna.Id, null)], true));

        async Task Zrm(HouseholdDetail household, string phase, int daysAgo, int score)
        {
            foreach (var member in household.Members.Where(m => m.Role != "child"))
            {
                await Send(anna, new RecordAssessment.Command(household.Id, member.Id, phase, today.AddDays(-daysAgo), null,
                    new Dictionary<string, int> { ["financien"] = score, ["huisvesting"] = score + 1, ["sociaal-netwerk"] = score }));
            }
        }
        await Zrm(visser, "intake", 90, 2);
        await Zrm(visser, "evaluation", 3, 2);
        await Zrm(koster, "intake", 90, 2);
        await Zrm(koster, "evaluation", 3, 4);

        // The foundation answers Anna's request through its link, as it would from the mail: the link gets a token (as
        // the mailer issues one), and the answer comes in without a user, through the same command as the API.
        var request = await Send(anna, new SendRequest.Command(koster.Id, maatje.Id, "maatje-koppeling",
            "Kan mevrouw Koster een maatje krijgen dat meekijkt met de post en de betalingen?", "normal", "zwaarwegend-belang"));
        var token = await As<string>(null, async sp =>
        {
            var db = sp.GetRequiredService<DbSession>();
            var linkId = await db.ExecuteScalarAsync<Guid>("SELECT id FROM reply_links WHERE request_id = @id", new { request.Id }, ct);
            var issued = sp.GetRequiredService<ReplyLinkTokens>().Issue(linkId);
            var tokenHash = ReplyLinkTokens.Hash(issued);
            var now = clock.GetUtcNow();
            await db.ExecuteAsync(ReplyLinkMailer.ClaimSql, new { id = linkId, tokenHash, now, stale = now }, ct);
            await db.ExecuteAsync(ReplyLinkMailer.SentSql, new { id = linkId, tokenHash, now }, ct);
            return issued;
        });
        await Send(null, new UseReplyLink.Command(token, "acknowledged", null, null, null));
        await Send(null, new UseReplyLink.Command(token, "answered",
            "Maatje Gerda neemt volgende week contact op met mevrouw Koster; ze komt elke twee weken langs.", null, null));
        logger.LogInformation("Demo outside the building: a foundation that answered by reply link, and two households with meetings");
    }
}
