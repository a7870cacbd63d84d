using System.Globalization;
using Frontlijn.Web.Features.Involvements;

namespace Frontlijn.Bench;

/// <summary>
/// Realistic, deterministic data for one municipality: N households registered evenly over four years, about one team
/// per 2,500 households (two neighbourhoods each), coaches with at most 15 households each, 40 organisations with two
/// services and their back-office professionals, members, coach assignments with history, involvements (a skewed number
/// of providers per household, organisations and providers outside Frontlijn, ended and open), requests with their
/// status history (some overdue), family plans with goals, and ZRM assessments. One seeded <see cref="Random"/> drives
/// everything in a fixed order, so the same N gives the same rows. Rows go to the sink in batches of households.
/// </summary>
internal sealed class Generator(int households, int seed = 20260601)
{
    public static readonly DateTimeOffset Start = new(2022, 6, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private const int Batch = 20_000;
    private const string Municipality = "Voorbeeldstad";

    private readonly Random _rng = new(seed);
    private readonly Dictionary<Table, List<object?[]>> _buffer = Table.All.ToDictionary(t => t, _ => new List<object?[]>());

    public int TeamCount { get; } = Math.Max(1, (int)Math.Round(households / 2500.0));
    public List<Guid> Teams { get; } = [];
    private readonly List<Guid[]> _teamNeighbourhoods = [];
    private readonly List<Guid> _teamLeads = [];
    private readonly List<Guid[]> _coaches = [];
    private readonly List<Org> _orgs = [];
    private double[] _orgCumulative = [];
    private (string Name, string Key)[] _outside = [];

    private sealed record Org(Guid Id, string[] ServiceCodes, Guid[] Professionals);

    public async Task GenerateAsync(IBulkSink sink)
    {
        ReferenceData();
        await FlushAsync(sink);
        for (var i = 0; i < households; i++)
        {
            Household(i);
            if ((i + 1) % Batch == 0) await FlushAsync(sink);
        }
        await FlushAsync(sink);
        await sink.CompleteAsync();
    }

    private async Task FlushAsync(IBulkSink sink)
    {
        foreach (var table in Table.All)
        {
            var rows = _buffer[table];
            if (table == Table.Involvements)
            {
                // Real involvements arrive in time order, not grouped per household: interleave them within the batch.
                rows.Sort((a, b) => ((DateTimeOffset)a[5]!).CompareTo((DateTimeOffset)b[5]!));
            }
            await sink.WriteAsync(table, rows);
            rows.Clear();
        }
    }

    private void Add(Table table, params object?[] row) => _buffer[table].Add(row);

    private Guid Id(DateTimeOffset at)
    {
        // UUIDv7 as the service makes them (Guid.CreateVersion7), but with the random part from the seeded generator.
        Span<byte> b = stackalloc byte[16];
        _rng.NextBytes(b);
        var ms = at.ToUnixTimeMilliseconds();
        for (var k = 0; k < 6; k++) b[k] = (byte)(ms >> (8 * (5 - k)));
        b[6] = (byte)(0x70 | (b[6] & 0x0F));
        b[8] = (byte)(0x80 | (b[8] & 0x3F));
        return new Guid(b, bigEndian: true);
    }

    private DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? from : from + TimeSpan.FromSeconds(_rng.NextDouble() * (to - from).TotalSeconds);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];
    private bool Chance(double p) => _rng.NextDouble() < p;

    private int Weighted(double[] weights)
    {
        var x = _rng.NextDouble() * weights.Sum();
        for (var k = 0; k < weights.Length; k++)
        {
            x -= weights[k];
            if (x < 0) return k;
        }
        return weights.Length - 1;
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private int HouseholdsOfTeam(int team) => households / TeamCount + (team < households % TeamCount ? 1 : 0);

    private void ReferenceData()
    {
        var t0 = Start.AddMonths(-6);
        for (var t = 0; t < TeamCount; t++)
        {
            var team = Id(t0);
            Teams.Add(team);
            Add(Table.Teams, team, $"Team {N(t + 1)}", t0);
            var pair = new Guid[2];
            for (var k = 0; k < 2; k++)
            {
                pair[k] = Id(t0);
                Add(Table.Neighbourhoods, pair[k], "WK" + (t * 2 + k + 1).ToString("D4", CultureInfo.InvariantCulture), $"Wijk {N(t * 2 + k + 1)}", Municipality, t0);
                Add(Table.TeamNeighbourhoods, team, pair[k]);
            }
            _teamNeighbourhoods.Add(pair);
            var lead = Id(t0);
            _teamLeads.Add(lead);
            Add(Table.Users, lead, $"teamleider{N(t + 1)}", $"Teamleider {N(t + 1)}", "team-lead", team, null, 20, t0);
            var coaches = new Guid[(HouseholdsOfTeam(t) + 14) / 15];
            for (var c = 0; c < coaches.Length; c++)
            {
                coaches[c] = Id(t0);
                Add(Table.Users, coaches[c], $"coach{N(t + 1)}-{N(c + 1)}", $"{Pick(GivenNames)} {Pick(FamilyNames)}", "coach", team, null, 20, t0);
            }
            _coaches.Add(coaches);
        }
        var professionalsPerOrg = 3 + households / 10_000;
        for (var o = 0; o < OrganisationNames.Length; o++)
        {
            var (name, kind) = OrganisationNames[o];
            var org = Id(t0);
            Add(Table.Organisations, org, name, kind, t0);
            string[] codes = [$"{kind}-intake", $"{kind}-traject"];
            Add(Table.OrganisationServices, Id(t0), org, codes[0], "Intake", 10, 3);
            Add(Table.OrganisationServices, Id(t0), org, codes[1], "Traject", 20, 5);
            var professionals = new Guid[professionalsPerOrg];
            for (var p = 0; p < professionals.Length; p++)
            {
                professionals[p] = Id(t0);
                Add(Table.Users, professionals[p], $"bo{N(o + 1)}-{N(p + 1)}", $"{Pick(GivenNames)} {Pick(FamilyNames)}", "back-office", null, org, 20, t0);
            }
            _orgs.Add(new Org(org, codes, professionals));
        }
        // Popularity of organisations is skewed (a few big providers, a long tail).
        var weights = Enumerable.Range(0, _orgs.Count).Select(k => 1.0 / Math.Pow(k + 1, 0.8)).ToArray();
        _orgCumulative = new double[weights.Length];
        var sum = 0.0;
        for (var k = 0; k < weights.Length; k++) _orgCumulative[k] = sum += weights[k] / weights.Sum();
        _outside = OutsideKinds.SelectMany(kind => FamilyNames.Take(25).Select(f => $"{kind} {f}"))
            .Select(name => (name, ProviderKey.For(name))).ToArray();
    }

    private int PopularOrg()
    {
        var x = _rng.NextDouble();
        var k = Array.BinarySearch(_orgCumulative, x);
        return Math.Min(k < 0 ? ~k : k, _orgs.Count - 1);
    }

    // Providers per household over its whole life: most 1-4, a tail to 12 and beyond.
    private static readonly double[] ProviderCountWeights =
        [4, 22, 24, 18, 12, 7, 4.5, 3, 2, 1.2, 0.8, 0.5, 0.4, 0.3, 0.2, 0.1];
    private static readonly double[] MemberCountWeights = [0, 30, 25, 18, 15, 8, 4];
    private static readonly double[] RequestCountWeights = [15, 25, 30, 18, 12];

    private void Household(int i)
    {
        var span = Now - Start;
        var created = Start + TimeSpan.FromSeconds((i + _rng.NextDouble()) / households * span.TotalSeconds);
        var team = i % TeamCount;
        var local = i / TeamCount;
        var coach = _coaches[team][Math.Min(local / 15, _coaches[team].Length - 1)];
        var lead = _teamLeads[team];
        var ageDays = (Now - created).TotalDays;
        DateTimeOffset? closed = null;
        if (Chance(Math.Clamp((ageDays - 90) / 1000, 0, 0.8)))
        {
            var at = created.AddDays(90 + _rng.NextDouble() * (Math.Min(ageDays, 900) - 90));
            if (at < Now) closed = at;
        }
        var status = closed is not null ? "closed" : ageDays < 30 && Chance(0.6) ? "registered" : Chance(0.06) ? "closing" : "active";
        var lifeEnd = closed ?? Now;
        var id = Id(created);
        var pc = i / 40;
        var postal = N(1000 + pc % 9000) + (char)('A' + pc / 9000 / 26 % 26) + (char)('A' + pc / 9000 % 26);
        Add(Table.Households, id, _teamNeighbourhoods[team][local % 2], Teams[team], Streets[pc % Streets.Length], 1 + i % 40,
            i % 11 == 0 ? "A" : "", postal, Municipality, status, closed is null ? null : Pick(ClosureReasons), coach, created,
            closed, closed is null ? 1 : 2);

        // Members
        var memberCount = Weighted(MemberCountWeights);
        var family = Pick(FamilyNames);
        Guid head = default;
        for (var m = 0; m < memberCount; m++)
        {
            var role = m == 0 ? "head" : m == 1 && Chance(0.6) ? "partner" : Chance(0.9) ? "child" : "other";
            var born = role is "child"
                ? new DateOnly(2004, 1, 1).AddDays(_rng.Next(365 * 20))
                : new DateOnly(1945, 1, 1).AddDays(_rng.Next(365 * 57));
            var member = Id(created);
            if (m == 0) head = member;
            var withBsn = Chance(0.7);
            Add(Table.HouseholdMembers, member, id, Pick(GivenNames), family, family.ToLowerInvariant(),
                Chance(0.95) ? born : null, role, withBsn ? Convert.ToHexStringLower(RandomBytes(32)) : null,
                withBsn ? N(_rng.Next(10_000)).PadLeft(4, '0') : null, created);
        }

        // Coach assignments: the current one, and for some households the one before it.
        var coaches = _coaches[team];
        if (Chance(0.3) && coaches.Length > 1)
        {
            var switchAt = Between(created, lifeEnd);
            var previous = coaches[(Array.IndexOf(coaches, coach) + 1 + _rng.Next(coaches.Length - 1)) % coaches.Length];
            Add(Table.CoachAssignments, Id(created), id, previous, created, switchAt, "registration", "reassigned", lead);
            Add(Table.CoachAssignments, Id(switchAt), id, coach, switchAt, closed, "caseload", closed is null ? null : "household closed", lead);
        }
        else
        {
            Add(Table.CoachAssignments, Id(created), id, coach, created, closed, "registration", closed is null ? null : "household closed", lead);
        }

        // Involvements: distinct providers, each with one to three consecutive periods (another professional, a restart).
        var providerCount = Weighted(ProviderCountWeights);
        var orgsOfHousehold = new List<Org>();
        var providers = new HashSet<int>();
        while (providers.Count < providerCount)
        {
            providers.Add(Chance(0.75) ? PopularOrg() : 1000 + _rng.Next(_outside.Length));
        }
        foreach (var provider in providers)
        {
            var org = provider < 1000 ? _orgs[provider] : null;
            if (org is not null) orgsOfHousehold.Add(org);
            var outside = provider >= 1000 ? _outside[provider - 1000] : default;
            var periods = Weighted([75, 20, 5]) + 1;
            var since = Min(created + TimeSpan.FromDays(-400 + _rng.NextDouble() * (400 + 0.8 * (lifeEnd - created).TotalDays)), Now.AddDays(-1));
            for (var p = 0; p < periods && since < Now; p++)
            {
                var end = since.AddDays(30 + _rng.NextDouble() * 570);
                DateTimeOffset? ended = null;
                string? endReason = null;
                if (end < lifeEnd)
                {
                    ended = end;
                    endReason = Chance(0.7) ? "explicit" : "inactivity";
                }
                else if (closed is not null && Chance(0.85))
                {
                    var at = closed.Value.AddDays(_rng.NextDouble() * 60);
                    if (at < Now)
                    {
                        ended = Max(at, since.AddDays(1));
                        endReason = "explicit";
                    }
                }
                var lastActivity = ended is { } e
                    ? Max(since, e.AddDays(-_rng.NextDouble() * 30))
                    : Max(since, Now.AddDays(-_rng.NextDouble() * 200));
                if (org is not null)
                {
                    var fromRequest = Chance(0.6);
                    Add(Table.Involvements, Id(since), id, org.Id, Chance(0.7) ? Pick(org.Professionals) : null,
                        fromRequest ? "request" : "manual", since, lastActivity, ended, endReason, null, null, null,
                        fromRequest ? null : coach);
                }
                else
                {
                    Add(Table.Involvements, Id(since), id, null, null, "manual", since, lastActivity, ended, endReason,
                        outside.Name, outside.Key, Chance(0.6) ? $"{Pick(GivenNames)[0]}. {Pick(FamilyNames)}" : null, coach);
                }
                if (ended is null) break;
                since = ended.Value.AddDays(7 + _rng.NextDouble() * 113);
            }
        }

        // Requests to organisations, mostly those involved, with their life cycle.
        var requestCount = Weighted(RequestCountWeights);
        for (var r = 0; r < requestCount; r++)
        {
            var org = orgsOfHousehold.Count > 0 && Chance(0.8) ? Pick(orgsOfHousehold) : _orgs[PopularOrg()];
            Request(id, org, coach, Between(created, lifeEnd.AddDays(-1)));
        }

        // A family plan with goals for some, ZRM assessments for a few.
        if (Chance(0.3))
        {
            var planAt = created.AddDays(14 + _rng.Next(30));
            if (planAt < Now)
            {
                Add(Table.FamilyPlans, id, DateOnly.FromDateTime(planAt.AddDays(90).UtcDateTime), Chance(0.5) ? planAt.AddDays(80) : null, planAt, planAt);
                for (var g = 0; g < 2; g++)
                {
                    var goalStatus = closed is not null ? (Chance(0.7) ? "achieved" : "dropped") : Chance(0.8) ? "open" : "achieved";
                    Add(Table.PlanGoals, Id(planAt), id, Pick(Domains), "Doel " + N(g + 1), goalStatus, coach, planAt,
                        goalStatus == "open" ? null : DateOnly.FromDateTime(Between(planAt, lifeEnd).UtcDateTime));
                }
            }
        }
        if (Chance(0.12))
        {
            Assessment(id, head, coach, created.AddDays(14), "intake");
            if (Chance(0.4)) Assessment(id, head, coach, created.AddDays(200), "evaluation");
        }
    }

    private byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        _rng.NextBytes(b);
        return b;
    }

    private void Assessment(Guid household, Guid member, Guid assessor, DateTimeOffset at, string phase)
    {
        if (at >= Now) return;
        var id = Id(at);
        Add(Table.Assessments, id, household, member, phase, DateOnly.FromDateTime(at.UtcDateTime), assessor, "ZRM-2017", at);
        foreach (var domain in Domains) Add(Table.AssessmentScores, id, domain, 1 + _rng.Next(5));
    }

    private void Request(Guid household, Org org, Guid coach, DateTimeOffset sentAt)
    {
        var urgent = Chance(0.15);
        var traject = Chance(0.5);
        var days = traject ? (urgent ? 5 : 20) : (urgent ? 3 : 10);
        var due = sentAt.AddDays(days);
        var id = Id(sentAt);
        var age = (Now - sentAt).TotalDays;
        // Old requests are almost all settled; recent ones are often still open.
        var status = age > 60 && Chance(0.97)
            ? Weighted([80, 10, 10]) switch { 0 => "answered", 1 => "declined", _ => "withdrawn" }
            : Weighted([9, 18, 3, 55, 7, 8]) switch
            {
                0 => "sent", 1 => "acknowledged", 2 => "suspended", 3 => "answered", 4 => "declined", _ => "withdrawn",
            };
        var backOffice = Pick(org.Professionals);
        var changes = new List<(string Kind, string? From, string To, Guid By)> { ("send", null, "sent", coach) };
        switch (status)
        {
            case "acknowledged": changes.Add(("acknowledge", "sent", "acknowledged", backOffice)); break;
            case "suspended":
                changes.Add(("acknowledge", "sent", "acknowledged", backOffice));
                changes.Add(("suspend", "acknowledged", "suspended", backOffice));
                break;
            case "answered":
                changes.Add(("acknowledge", "sent", "acknowledged", backOffice));
                changes.Add(("answer", "acknowledged", "answered", backOffice));
                break;
            case "declined": changes.Add(("decline", "sent", "declined", backOffice)); break;
            case "withdrawn": changes.Add(("withdraw", "sent", "withdrawn", coach)); break;
        }
        var times = new DateTimeOffset[changes.Count];
        times[0] = sentAt;
        for (var k = 1; k < times.Length; k++)
        {
            times[k] = Min(times[k - 1].AddDays(_rng.NextDouble() * days * 0.7), Now.AddMinutes(-k));
            if (times[k] < times[k - 1]) times[k] = times[k - 1];
        }
        var last = times[^1];
        var open = status is "sent" or "acknowledged";
        var overdue = open && due < Now;
        var settled = status is "answered" or "declined" or "withdrawn";
        Add(Table.Requests, id, household, org.Id, traject ? org.ServiceCodes[1] : org.ServiceCodes[0], "Graag contact over ondersteuning.",
            urgent ? "urgent" : "normal", "Wmo 2015 art. 2.3.2", coach, status, status == "suspended" ? "acknowledged" : null,
            changes.Count, sentAt, due, status == "suspended" ? last : null, status == "answered" ? "Intake gepland." : null,
            status == "declined" ? "geen-capaciteit" : null, settled ? last : null, last,
            open && due.AddDays(-2) < Now ? due.AddDays(-2) : null, overdue ? due : null,
            overdue ? (due.AddDays(5) < Now ? 2 : 1) : 0, overdue ? due.AddDays(due.AddDays(5) < Now ? 5 : 0) : null);
        for (var k = 0; k < changes.Count; k++)
        {
            var c = changes[k];
            Add(Table.RequestStatusChanges, Id(times[k]), id, k + 1, c.Kind, c.From, c.To, null,
                c.Kind == "decline" ? "geen-capaciteit" : null, due, c.By, times[k]);
        }
    }

    private static readonly string[] GivenNames =
    [
        "Anna", "Sophie", "Emma", "Julia", "Fleur", "Noa", "Sara", "Lotte", "Fatima", "Aylin", "Daan", "Sem", "Lucas", "Levi",
        "Finn", "Milan", "Mohammed", "Youssef", "Jan", "Piet", "Kees", "Ingrid", "Marieke", "Priya", "Wei", "Olga", "Tomasz",
    ];

    private static readonly string[] FamilyNames =
    [
        "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
        "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
        "Dijkstra", "Smits", "de Graaf", "van der Meer", "El Amrani", "Yilmaz", "Kaya", "Nguyen", "Kowalski", "Sahin",
        "Bouali", "Pinas", "Tjon", "Veenstra", "Postma", "Kuipers", "Willems", "van Vliet", "Prins",
    ];

    private static readonly string[] Streets =
    [
        "Dorpsstraat", "Kerkstraat", "Schoolstraat", "Molenweg", "Stationsweg", "Julianastraat", "Beatrixlaan",
        "Wilhelminastraat", "Nieuwstraat", "Parallelweg", "Eikenlaan", "Lindelaan", "Berkenlaan", "Kastanjelaan", "Irenestraat",
        "Marktplein", "Havenstraat", "Sportlaan", "Tuinstraat", "Zuiderweg", "Noorderweg", "Oosterstraat", "Westerstraat",
        "Prinses Margrietlaan", "Burgemeester Visserlaan", "Spoorstraat", "Vijverlaan", "Rozenstraat", "Tulpstraat", "Dahliastraat",
    ];

    private static readonly (string Name, string Kind)[] OrganisationNames =
    [
        ("Schuldhulp Voorbeeldstad", "schuldhulp"), ("GGZ Oost", "ggz"), ("GGZ West", "ggz2"), ("Jeugdzorg Regio", "jeugd"),
        ("Woonstichting Thuis", "wonen"), ("Woningcorporatie De Sleutel", "wonen2"), ("Maatschappelijk Werk Stad", "amw"),
        ("Verslavingszorg Noord", "verslaving"), ("Reclassering Nederland", "reclassering"), ("Veilig Thuis", "veilig-thuis"),
        ("UWV Werkbedrijf", "werk"), ("Sociale Dienst", "inkomen"), ("Thuiszorg Samen", "thuiszorg"), ("Wijkverpleging Plus", "wijkverpleging"),
        ("Leger des Heils", "opvang"), ("Humanitas", "vrijwilligers"), ("MEE", "beperking"), ("Stichting Jeugdwerk", "jongerenwerk"),
        ("Centrum Jeugd en Gezin", "cjg"), ("Buurtzorg", "buurtzorg"), ("Vluchtelingenwerk", "vluchtelingen"),
        ("Stichting Thuisadministratie", "administratie"), ("Voedselbank", "voedselbank"), ("Kredietbank", "krediet"),
        ("Dagbesteding De Werf", "dagbesteding"), ("Beschermd Wonen", "beschermd-wonen"), ("Vrouwenopvang", "vrouwenopvang"),
        ("Jeugdbescherming", "jeugdbescherming"), ("Raad voor de Kinderbescherming", "raad"), ("Leerplicht", "leerplicht"),
        ("Schoolmaatschappelijk Werk", "smw"), ("Logopedie Centrum", "logopedie"), ("Ouderenwerk", "ouderen"),
        ("Mantelzorgsteunpunt", "mantelzorg"), ("Sportservice", "sport"), ("Taalhuis", "taal"), ("Juridisch Loket", "juridisch"),
        ("Formulierenbrigade", "formulieren"), ("Re-integratie Partners", "reintegratie"), ("Huisvesting Statushouders", "statushouders"),
    ];

    private static readonly string[] OutsideKinds =
        ["Huisartsenpraktijk", "Fysiotherapie", "Psychologenpraktijk", "Praktijk", "Kinderopvang", "Bewindvoering", "Coachingsbureau", "Zorgboerderij"];

    private static readonly string[] ClosureReasons = ["doelen bereikt", "verhuisd", "overgedragen", "geen medewerking"];

    private static readonly string[] Domains =
    [
        "financien", "werk-opleiding", "tijdsbesteding", "huisvesting", "huiselijke-relaties", "geestelijke-gezondheid",
        "lichamelijke-gezondheid", "middelengebruik", "basale-adl", "instrumentele-adl", "sociaal-netwerk",
        "maatschappelijke-participatie", "justitie",
    ];
}
