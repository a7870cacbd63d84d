using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Features.Consents;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Features.Plans;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Demo;

/// <summary>
/// Demo mode always has a user <c>admin</c>; <c>Auth:BootstrapAdmin</c> names the first admin of an OIDC installation. On first start in Development with an empty database it also creates a
/// small but real organisation structure, through the same commands the API sends, so a newcomer can sign in as each
/// role at once.
/// </summary>
public sealed partial class DemoSeeder(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    internal const string EnsureAdminSql = """
        INSERT INTO users (id, username, display_name, role, team_id, organisation_id, max_caseload, created_at)
        SELECT @id, @username, @displayName, 'admin', NULL, NULL, 20, @now
        WHERE NOT EXISTS (SELECT 1 FROM users WHERE username = @username)
        """;

    internal const string IsEmptySql = "SELECT COUNT(*) FROM neighbourhoods";

    internal const string WorkContactSql = "UPDATE users SET work_phone = @phone, work_email = @email WHERE id = @id";

    /// <summary>Creates admin <paramref name="username"/> unless a user of that name exists (then it is left as it is).</summary>
    public async Task EnsureAdminAsync(CancellationToken ct, string username = "admin", string displayName = "Functioneel beheerder")
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        try
        {
            await db.ExecuteAsync(EnsureAdminSql, new { id = Guid.CreateVersion7(), username, displayName, now = clock.GetUtcNow() }, ct);
        }
        catch (System.Data.Common.DbException ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            // Another node seeded it at the same moment.
        }
    }

    public async Task SeedDemoDataAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        if (await db.ExecuteScalarAsync<int>(IsEmptySql, ct: ct) > 0) return;
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var heechterp = await mediator.Send(new CreateNeighbourhood.Command(
            "LW-HS", "Heechterp-Schieringen", "Leeuwarden", ["8924", "8925"]), ct);
        var camminghaburen = await mediator.Send(new CreateNeighbourhood.Command(
            "LW-CA", "Camminghaburen", "Leeuwarden", ["8935"]), ct);
        var velve = await mediator.Send(new CreateNeighbourhood.Command(
            "ES-VL", "Velve-Lindenhof", "Enschede", ["7544"]), ct);

        var oost = await mediator.Send(new CreateTeam.Command("Frontlijnteam Leeuwarden-Oost", [heechterp.Id, camminghaburen.Id]), ct);
        var zuid = await mediator.Send(new CreateTeam.Command("Wijkcoaches Enschede-Zuid", [velve.Id]), ct);

        async Task<Organisation> Org(string name, string kind, params CreateOrganisation.ServiceInput[] services) =>
            await mediator.Send(new CreateOrganisation.Command(name, kind, services, null, null), ct);

        var schuldhulp = await Org("Schuldhulpverlening Leeuwarden", "schuldhulp",
            new CreateOrganisation.ServiceInput("schuldhulp-intake", "Intake schuldhulpverlening", 5, 1), new CreateOrganisation.ServiceInput("budgetbeheer", "Budgetbeheer", 10, 2));
        var woning = await Org("Woningcorporatie Elkien", "woningcorporatie",
            new CreateOrganisation.ServiceInput("huurachterstand", "Huurachterstand", 5, 1), new CreateOrganisation.ServiceInput("woonoverlast", "Woonoverlast", 5, 1));
        var ggz = await Org("GGZ Friesland", "ggz", new CreateOrganisation.ServiceInput("ggz-consult", "Consultatie GGZ", 10, 2));
        var jeugd = await Org("Jeugdzorg Fryslân", "jeugdzorg", new CreateOrganisation.ServiceInput("jeugdhulp-advies", "Advies jeugdhulp", 5, 1));
        var werk = await Org("Werk & Inkomen Leeuwarden", "werk-en-inkomen",
            new CreateOrganisation.ServiceInput("uitkering", "Uitkering en bijzondere bijstand", 5, 1));
        var politie = await Org("Politie Fryslân", "politie", new CreateOrganisation.ServiceInput("wijkagent", "Contact wijkagent", 3, 1));

        async Task<User> User(string username, string name, string role, Guid? team = null, Guid? org = null, int? max = null) =>
            await mediator.Send(new CreateUser.Command(username, name, role, team, org, max), ct);

        var anna = await User("coach.anna", "Anna de Vries", Roles.Coach, oost.Id, max: 20);
        var bram = await User("coach.bram", "Bram Hoekstra", Roles.Coach, oost.Id, max: 15);
        var fatima = await User("coach.fatima", "Fatima El Amrani", Roles.Coach, zuid.Id, max: 20);
        var sanne = await User("teamlead.sanne", "Sanne Visser", Roles.TeamLead, oost.Id);
        await User("teamlead.joost", "Joost Jansen", Roles.TeamLead, zuid.Id);
        var pieter = await User("schuldhulp.pieter", "Pieter Bakker", Roles.BackOffice, org: schuldhulp.Id);
        var lisa = await User("woning.lisa", "Lisa Dijkstra", Roles.BackOffice, org: woning.Id);
        await User("ggz.mark", "Mark de Boer", Roles.BackOffice, org: ggz.Id);
        await User("jeugd.noor", "Noor Postma", Roles.BackOffice, org: jeugd.Id);
        await User("werk.kees", "Kees van der Meer", Roles.BackOffice, org: werk.Id);
        await User("politie.eva", "Eva Smit", Roles.BackOffice, org: politie.Id);
        logger.LogInformation("Demo data created: 3 neighbourhoods, 2 teams, 6 organisations, 11 users (sign in as e.g. coach.anna)");
        // How a resident reaches their coach (the portal's "one contact"); fictitious numbers.
        await db.ExecuteAsync(WorkContactSql, new { id = anna.Id, phone = "058 233 00 11", email = "anna.devries@frontlijn.example" }, ct);
        await db.ExecuteAsync(WorkContactSql, new { id = bram.Id, phone = "058 233 00 12", email = "bram.hoekstra@frontlijn.example" }, ct);

        await SeedObjectivesAndCostsAsync(heechterp.Id, camminghaburen.Id, anna, bram, sanne, pieter, lisa, schuldhulp, woning, ggz, ct);
        await SeedHouseholdsAsync(heechterp.Id, camminghaburen.Id, velve.Id, anna, bram, fatima, sanne, lisa, pieter,
            schuldhulp, woning, ct);
        await SeedOutsideTheBuildingAsync(heechterp.Id, anna, schuldhulp, ggz, ct);
        await SeedAddressesAsync(heechterp.Id, velve.Id, anna, bram, fatima, ct);
        await SeedVisitsAsync(anna, bram, sanne, fatima, ct);
    }

    /// <summary>
    /// A few households, registered and signalled through the same commands as the API, each in its own scope acting as
    /// the user who would do it, so the caseloads, the triage queue, the inboxes and the access log look lived-in.
    /// The BSNs are test numbers that pass the elfproef.
    /// </summary>
    private async Task SeedHouseholdsAsync(Guid heechterp, Guid camminghaburen, Guid velve, User anna, User bram,
        User fatima, User sanne, User lisa, User pieter, Organisation schuldhulp, Organisation woning, CancellationToken ct)
    {
        async Task<T> As<T>(User actor, Func<IMediator, Task<T>> work)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>()
                .ActAs(actor.Id, actor.Role, actor.TeamId, actor.OrganisationId, actor.DisplayName);
            return await work(scope.ServiceProvider.GetRequiredService<IMediator>());
        }

        static AddressInput Address(string street, int number, string postalCode, string city) =>
            new(street, number, null, postalCode, city);

        static MemberInput Person(string given, string family, string born, string role, string? bsn = null) =>
            new(given, family, DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), bsn, role);

        var bosma = await As(anna, m => m.Send(new RegisterHousehold.Command(heechterp, Address("Heechterp", 12, "8925 AB", "Leeuwarden"),
            [Person("Sandra", "Bosma", "1984-05-12", "head", "111222333"), Person("Tim", "Bosma", "2012-09-01", "child")]), ct).AsTask());
        await As(anna, m => m.Send(new RegisterHousehold.Command(heechterp, Address("Schieringerweg", 140, "8924 CD", "Leeuwarden"),
            [Person("Johan", "de Jong", "1971-02-03", "head"), Person("Ria", "de Jong", "1973-11-23", "partner")]), ct).AsTask());
        await As(bram, m => m.Send(new RegisterHousehold.Command(camminghaburen, Address("Kalverdijkje", 7, "8935 EF", "Leeuwarden"),
            [Person("Mohamed", "Amrani", "1990-07-30", "head", "123456782")]), ct).AsTask());
        await As(fatima, m => m.Send(new RegisterHousehold.Command(velve, Address("Lindenhof", 31, "7544 GH", "Enschede"),
            [Person("Kees", "Wolters", "1966-01-15", "head")]), ct).AsTask());
        // Registered by the team lead: waits for a coach.
        await As(sanne, m => m.Send(new RegisterHousehold.Command(camminghaburen, Address("Camminghaburen", 88, "8935 JK", "Leeuwarden"),
            [Person("Petra", "Zijlstra", "1979-03-08", "head")]), ct).AsTask());

        // The housing corporation worries about a known address: it reaches Anna, its contact.
        await As(lisa, m => m.Send(new SubmitSignal.Command(Address("Heechterp", 12, "8925AB", "Leeuwarden"), null,
            "Huurachterstand van drie maanden; brieven worden niet beantwoord.", ["financien", "huisvesting"]), ct).AsTask());
        // ...and about an unknown one in the team's area: it waits in the team's triage queue.
        await As(lisa, m => m.Send(new SubmitSignal.Command(Address("Heechterp", 40, "8925AB", "Leeuwarden"),
            [new SignalMemberInput(null, "Hoekstra", null, null, null)],
            "Ernstige vervuiling van de woning gemeld door buren.", ["huisvesting"]), ct).AsTask());
        logger.LogInformation("Demo households created: 5 households, 2 signals (sign in as coach.anna or teamlead.sanne)");

        await SeedCaseAsync(bosma, anna, lisa, pieter, schuldhulp, woning, As, ct);
    }

    /// <summary>
    /// The Bosma household as a case in progress, made by the same commands as the users: a consent, three requests
    /// (one just sent, one acknowledged, one answered, with a question in the thread), involvements, a family plan with
    /// goals and an action, and an intake ZRM assessment.
    /// </summary>
    private async Task SeedCaseAsync(HouseholdDetail bosma, User anna, User lisa, User pieter, Organisation schuldhulp,
        Organisation woning, Func<User, Func<IMediator, Task<object>>, Task<object>> act, CancellationToken ct)
    {
        async Task<T> As<T>(User actor, Func<IMediator, Task<T>> work) => (T)await act(actor, async m => (await work(m))!);

        var today = Features.Requests.WorkingDays.LocalDate(clock.GetUtcNow());
        var head = bosma.Members.First(m => m.Role == "head");
        var child = bosma.Members.First(m => m.Role == "child");

        await As(anna, m => m.Send(new RecordConsent.Command(bosma.Id, schuldhulp.Id, "schuldhulp-intake", head.Id,
            today.AddDays(-7), today.AddYears(1)), ct).AsTask());
        await As(anna, m => m.Send(new RecordConsent.Command(bosma.Id, schuldhulp.Id, "budgetbeheer", head.Id,
            today.AddDays(-7), today.AddYears(1)), ct).AsTask());

        var answered = await As(anna, m => m.Send(new SendRequest.Command(bosma.Id, schuldhulp.Id, "budgetbeheer",
            "Kan budgetbeheer worden gestart? Er is een huurachterstand van drie maanden.", "normal", null), ct).AsTask());
        var acknowledged = await As(anna, m => m.Send(new SendRequest.Command(bosma.Id, woning.Id, "huurachterstand",
            "Wilt u de ontruimingsprocedure aanhouden zolang de schuldhulp loopt?", "urgent", "zwaarwegend-belang"), ct).AsTask());
        await As(anna, m => m.Send(new SendRequest.Command(bosma.Id, schuldhulp.Id, "schuldhulp-intake",
            "Graag een intakegesprek schuldhulpverlening voor mevrouw Bosma.", "normal", null), ct).AsTask());

        await As(pieter, m => m.Send(new ChangeRequestStatus.Command(answered.Id, "acknowledged", null, null, null, null, 1), ct).AsTask());
        await As(pieter, m => m.Send(new PostRequestMessage.Command(answered.Id, "Zijn de bankafschriften van de laatste drie maanden beschikbaar?"), ct).AsTask());
        await As(anna, m => m.Send(new PostRequestMessage.Command(answered.Id, "Ja, ik neem ze mee naar het gesprek."), ct).AsTask());
        await As(pieter, m => m.Send(new ChangeRequestStatus.Command(answered.Id, "answered", null, null,
            "Budgetbeheer start op de eerste van de volgende maand; de huur wordt vanaf dan rechtstreeks betaald.", null, 2), ct).AsTask());
        await As(lisa, m => m.Send(new ChangeRequestStatus.Command(acknowledged.Id, "acknowledged", "We bekijken het dossier.", null, null, null, 1), ct).AsTask());

        await As(anna, m => m.Send(new RegisterInvolvement.Command(bosma.Id, null, "Huisartsenpraktijk Heechterp", "dr. Kramer", today.AddMonths(-6)), ct).AsTask());
        await As(anna, m => m.Send(new RegisterInvolvement.Command(bosma.Id, null, "Basisschool De Schalm", null, today.AddMonths(-3)), ct).AsTask());

        var money = await As(anna, m => m.Send(new AddPlanGoal.Command(bosma.Id, "financien", "De vaste lasten worden elke maand op tijd betaald."), ct).AsTask());
        await As(anna, m => m.Send(new AddPlanAction.Command(bosma.Id, money.Id, "Aanmelden bij budgetbeheer",
            new AddPlanAction.OwnerInput("organisation", schuldhulp.Id), today.AddDays(14)), ct).AsTask());
        await As(anna, m => m.Send(new AddPlanGoal.Command(bosma.Id, "huisvesting", "Het gezin kan in de woning blijven wonen."), ct).AsTask());

        await As(anna, m => m.Send(new RecordAssessment.Command(bosma.Id, head.Id, "intake", today.AddDays(-7), null,
            new Dictionary<string, int>
            {
                ["financien"] = 1, ["werk-opleiding"] = 3, ["tijdsbesteding"] = 3, ["huisvesting"] = 2, ["huiselijke-relaties"] = 3,
                ["geestelijke-gezondheid"] = 2, ["lichamelijke-gezondheid"] = 4, ["middelengebruik"] = 5, ["basale-adl"] = 5,
                ["instrumentele-adl"] = 3, ["sociaal-netwerk"] = 2, ["maatschappelijke-participatie"] = 3, ["justitie"] = 5,
            }), ct).AsTask());
        await As(anna, m => m.Send(new RecordAssessment.Command(bosma.Id, child.Id, "intake", today.AddDays(-7), null,
            new Dictionary<string, int> { ["tijdsbesteding"] = 3, ["huiselijke-relaties"] = 3, ["sociaal-netwerk"] = 4 }), ct).AsTask());
        logger.LogInformation("Demo case created: consents, 3 requests (sent, acknowledged, answered), involvements, a family plan, ZRM");
        // Sandra Bosma (head, 16+, with a BSN) is a demo resident: /mijn/aanmelden lists her, and a demo resident token
        // (issuer frontlijn-demo-residents, sub = her BSN) opens /api/v1/me/household.
        logger.LogInformation("Demo resident: Sandra Bosma (sign in at /mijn/aanmelden)");
    }
}
