using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Visits;
using Frontlijn.Web.Infrastructure.Auth;
using Mediator;

namespace Frontlijn.Web.Features.Demo;

/// <summary>
/// Outreach visits (issue 14), in a file of their own: yesterday, today and the next two days, so /bezoeken shows
/// something on the first start whatever day that is. At the demo households' addresses and one where no household is
/// known (Heechterp 40, the address of the demo's triage signal); some recorded, one of them a concern that became a
/// signal to the household's own coach (Bram, for the Amrani household), exactly as a visitor's phone would do it.
/// </summary>
public sealed partial class DemoSeeder
{
    private async Task SeedVisitsAsync(User anna, User bram, User sanne, User fatima, CancellationToken ct)
    {
        async Task<T> Send<T>(User actor, Mediator.ICommand<T> command)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>()
                .ActAs(actor.Id, actor.Role, actor.TeamId, actor.OrganisationId, actor.DisplayName);
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, ct);
        }
        var today = WorkingDays.LocalDate(clock.GetUtcNow());
        Task<Visit> Plan(User by, string street, int number, string postalCode, string city, int day, string reason) =>
            Send(by, new PlanVisit.Command(new AddressInput(street, number, null, postalCode, city), today.AddDays(day), reason));
        Task<Visit> Record(User by, Visit visit, string result, string? note) =>
            Send(by, new RecordVisitOutcome.Command(visit.Id, result, note));

        var bosma = await Plan(anna, "Heechterp", 12, "8925 AB", "Leeuwarden", -1, "Even langs na de eerste maand budgetbeheer.");
        await Record(anna, bosma, VisitResults.NoConcern, "Huur is deze maand betaald; mevrouw Bosma redt het goed.");

        var amrani = await Plan(anna, "Kalverdijkje", 7, "8935 EF", "Leeuwarden", 0,
            "Buren melden dat de post zich opstapelt en de gordijnen al dagen dicht zijn.");
        await Record(anna, amrani, VisitResults.Concern, "Meneer Amrani deed open maar leek verward; de koelkast was leeg.");
        var dejong = await Plan(bram, "Schieringerweg", 140, "8924 CD", "Leeuwarden", 0, "Kennismaking: de buurt ziet meneer De Jong weinig buiten.");
        await Record(bram, dejong, VisitResults.NoAnswer, "Briefje met telefoonnummer in de bus gedaan.");
        var zijlstra = await Plan(sanne, "Camminghaburen", 88, "8935 JK", "Leeuwarden", 0, "Kennismaken zolang het huishouden op een coach wacht.");
        await Record(sanne, zijlstra, VisitResults.Talked, "Mevrouw Zijlstra wil graag hulp bij de administratie.");
        // No household known here: whoever goes sees an address and a reason, nothing more (no oracle).
        await Plan(anna, "Heechterp", 40, "8925 AB", "Leeuwarden", 0, "Melding van ernstige vervuiling: aanbellen en kennismaken.");
        await Plan(fatima, "Lindenhof", 31, "7544 GH", "Enschede", 0, "Hoe gaat het sinds de verhuizing van de buren?");

        await Plan(anna, "Heechterperweg", 3, "8925 KL", "Leeuwarden", 1, "Samen met de wijkagent langs na de melding van de school.");
        await Plan(bram, "Schieringerweg", 55, "8924 MN", "Leeuwarden", 2, "Nagesprek over het maatje van de stichting.");
        logger.LogInformation("Demo visits created: 8 visits from yesterday to the day after tomorrow, one concern signalled to its coach");
    }
}
