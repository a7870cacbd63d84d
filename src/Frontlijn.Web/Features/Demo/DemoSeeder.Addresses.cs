using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Visits;
using Frontlijn.Web.Infrastructure.Auth;
using Mediator;

namespace Frontlijn.Web.Features.Demo;

/// <summary>
/// The address view (issue 14), in a file of its own: the Bosmas' building, Heechterp 12 (8925 AB), gets neighbours so
/// that /team/adres shows something on first start — the Van der Veens upstairs at 12-A (Bram's), the Mulders at 12-B
/// who moved out (closed: "before"), a household of the Enschede team at 12-C (it moved here and stays with its team
/// for now; the Leeuwarden team lead sees it only as a count), and two visits achter de voordeur. The Bosmas at 12
/// themselves are left as they are.
/// </summary>
public sealed partial class DemoSeeder
{
    /// <summary>The address the team lead's page suggests in demo mode (Pages/TeamLead/Address.cshtml).</summary>
    public const string DemoBuilding = "Heechterp 12, 8925 AB";

    private async Task SeedAddressesAsync(Guid heechterp, Guid velve, User anna, User bram, User fatima, CancellationToken ct)
    {
        Task<T> Send<T>(User actor, ICommand<T> command) => SendAsAsync(actor, command, ct);

        static AddressInput At(string? suffix) => new("Heechterp", 12, suffix, "8925 AB", "Leeuwarden");
        static MemberInput Person(string given, string family, string born, string role) =>
            new(given, family, DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), null, role);

        await Send(bram, new RegisterHousehold.Command(heechterp, At("A"),
            [Person("Gerrit", "van der Veen", "1958-08-14", "head")]));
        var mulder = await Send(anna, new RegisterHousehold.Command(heechterp, At("B"),
            [Person("Esther", "Mulder", "1988-12-02", "head"), Person("Daan", "Mulder", "2016-04-21", "child")]));
        // Moved out: closed in the two steps a coach takes (closing phase, then closed).
        var closing = await Send(anna, new CloseHousehold.Command(mulder.Id, "Verhuisd naar Groningen"));
        if (closing.Status != "closed") await Send(anna, new CloseHousehold.Command(mulder.Id, "Verhuisd naar Groningen"));
        await Send(fatima, new RegisterHousehold.Command(velve, At("C"), [Person("Sven", "Wolters", "1995-03-30", "head")]));

        var today = WorkingDays.LocalDate(clock.GetUtcNow());
        var empty = await Send(anna, new PlanVisit.Command(At("B"), today.AddDays(-10),
            "Buren melden dat de woning sinds de verhuizing leeg lijkt te staan."));
        await Send(anna, new RecordVisitOutcome.Command(empty.Id, VisitResults.NoAnswer, "Niemand thuis; post achter de deur."));
        await Send(bram, new PlanVisit.Command(At("A"), today.AddDays(3), "Kennismaken met meneer Van der Veen en vragen hoe het gaat."));
        logger.LogInformation("Demo address view: 4 households and 2 visits in the building {Building} (sign in as teamlead.sanne, open /team/adres)",
            DemoBuilding);
    }

    private async Task<T> SendAsAsync<T>(User actor, ICommand<T> command, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>()
            .ActAs(actor.Id, actor.Role, actor.TeamId, actor.OrganisationId, actor.DisplayName);
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, ct);
    }
}
