using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Frontlijn.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Frontlijn.IntegrationTests.Api;

/// <summary>
/// Issue 9, the authorization matrix: every operation of the published OpenAPI document × every principal (anonymous,
/// the household's coach, a second coach of its team, a coach of another team, both team leads, the addressed back
/// office and another one, the admin) × the own and the foreign resources answers the status the SPEC says, and only
/// that. The expectations are the table in <see cref="AuthorizationMatrix"/>, written from the SPEC (roles, need-to-know,
/// the API table's "who" column, the second-round contract), not from the code. One world per provider, built through
/// the API; every mismatch is collected and reported at once.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed partial class AuthorizationMatrixTests(ProviderApps apps, ITestOutputHelper output)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheMatrix_HasAnEntryForEveryOperationOfTheDocument_AndOnlyForThose(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var document = await ApiDocument.LoadAsync(app);
        var problems = TableProblems(document);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EveryOperation_ForEveryPrincipal_OwnAndForeign_AnswersWhatTheSpecSays(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var document = await ApiDocument.LoadAsync(app);
        var world = await MatrixWorld.CreateAsync(app);
        var basePath = document.ServerUrl.AbsolutePath.TrimEnd('/');
        var documented = document.Operations.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        var mismatches = new List<Mismatch>();
        var cells = 0;
        try
        {
            // Rows without an operation in the document, and operations without a row, are the other test's report.
            foreach (var row in AuthorizationMatrix.Rows.Where(r => documented.Contains(r.DocumentName)))
            {
                var expectations = row.Expectations;
                if (expectations.Count != AuthorizationMatrix.Columns.Length)
                {
                    mismatches.Add(new(Difference.Broken, $"{row}: {expectations.Count} cells for {AuthorizationMatrix.Columns.Length} principals"));
                    continue;
                }
                var observed = new List<string>();
                for (var column = 0; column < AuthorizationMatrix.Columns.Length; column++)
                {
                    var principal = AuthorizationMatrix.Columns[column];
                    var call = new MatrixCall(world, row.Scope, principal);
                    cells++;
                    try
                    {
                        var (status, mismatch) = await SendAsync(world, row, call, basePath, expectations[column]);
                        observed.Add(mismatch is null ? status.ToString(CultureInfo.InvariantCulture) : $"{status}!");
                        if (mismatch is not null) mismatches.Add(mismatch);
                    }
                    catch (Exception ex) when (ex is Xunit.Sdk.XunitException or HttpRequestException or KeyNotFoundException)
                    {
                        // A prepare that failed, a key the world lacks, or no answer at all: one line of the report,
                        // not the end of it.
                        mismatches.Add(new(Difference.Broken, $"{row} as {principal}: {ex.Message.ReplaceLineEndings(" ")}"));
                        observed.Add("-!");
                    }
                }
                // The matrix as it was observed (! = differs from the SPEC), for the reviewer of a failure or a change.
                output.WriteLine($"{row,-75} {string.Join(" ", observed.Select(o => o.PadRight(4)))}");
            }
        }
        finally
        {
            world.Dispose();
        }

        Assert.True(cells >= 100, $"Only {cells} cells were sent; is the OpenAPI document empty?");
        // Worst first: a door that is open where the SPEC shuts it matters more than which refusal a closed one gives.
        var ordered = mismatches.OrderBy(m => m.Kind).ToList();
        var summary = string.Join(", ", ordered.GroupBy(m => m.Kind).Select(g => $"{g.Count()} × {Describe(g.Key)}"));
        Assert.True(mismatches.Count == 0,
            $"{mismatches.Count} of {cells} cells (operation × principal × scope) differ from the SPEC ({summary}); " +
            $"table: tests/Frontlijn.IntegrationTests/Api/AuthorizationMatrix.cs\n  " + string.Join("\n  ", ordered.Select(m => m.Text)));
    }

    /// <summary>How a cell differs, worst first.</summary>
    private enum Difference
    {
        AllowedWhereRefused,
        Disclosure,
        RefusedWhereAllowed,
        ServerError,
        Broken,
        NotAccepted,
        NotAProblem,
        OtherStatus,
        ScopeRefusalAsRoleRefusal,
        RoleRefusalAsScopeRefusal,
    }

    private sealed record Mismatch(Difference Kind, string Text);

    private static string Describe(Difference kind) => kind switch
    {
        Difference.AllowedWhereRefused => "ALLOWED where the SPEC refuses",
        Difference.Disclosure => "allowed, but the answer tells more than the SPEC allows",
        Difference.RefusedWhereAllowed => "REFUSED where the SPEC allows",
        Difference.ServerError => "a server error",
        Difference.Broken => "no answer, or the cell's preparation failed",
        Difference.NotAccepted => "allowed but not accepted (is the sample body valid?)",
        Difference.NotAProblem => "a refusal that is not problem+json",
        Difference.OtherStatus => "another status than the expected one",
        Difference.ScopeRefusalAsRoleRefusal => "403 where the SPEC says 404 (out of scope)",
        _ => "404 where the SPEC says 403 (the role never may; a role refusal reveals nothing)",
    };

    /// <summary>Sends one cell: the status, and how it differs from the expectation (null when it does not).</summary>
    private static async Task<(int Status, Mismatch? Mismatch)> SendAsync(MatrixWorld world, MatrixRow row, MatrixCall call, string basePath, Expectation expected)
    {
        if (row.Prepare is not null) await row.Prepare(call);
        var target = Placeholder().Replace(row.Target, m => Resolve(row.Target, m, call).ToString());
        using var request = new HttpRequestMessage(new HttpMethod(row.Method.ToUpperInvariant()), basePath + target);
        if (row.Body?.Invoke(call) is { } body)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, Http.Json), Encoding.UTF8, row.ContentType);
        }
        using var response = await world.Client(call.Principal).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var where = $"{row} as {call.Principal}: expected {expected}, got {status}";

        if (expected.Refusal is { } refusal)
        {
            if (status != refusal)
            {
                var kind = status switch
                {
                    < 300 => Difference.AllowedWhereRefused,
                    404 when refusal == 403 => Difference.RoleRefusalAsScopeRefusal,
                    403 when refusal == 404 => Difference.ScopeRefusalAsRoleRefusal,
                    >= 500 => Difference.ServerError,
                    _ => Difference.OtherStatus,
                };
                return (status, new(kind, $"{where} ({Describe(kind)}) {Excerpt(text)}"));
            }
            return (status, ProblemViolation(response, text, status) is { } violation ? new(Difference.NotAProblem, $"{where} but {violation}") : null);
        }

        // Allowed: a read answers 2xx; a change 2xx, or 409 when the state does not allow it (retrying a delivery that
        // has not failed): the caller got past every permission check.
        var accepted = status is >= 200 and < 300 || (status == 409 && row.Method != "get");
        if (!accepted)
        {
            var kind = status is 401 or 403 or 404 ? Difference.RefusedWhereAllowed : status >= 500 ? Difference.ServerError : Difference.NotAccepted;
            return (status, new(kind, $"{where} ({Describe(kind)}) {Excerpt(text)}"));
        }
        if (status >= 400)
        {
            return (status, ProblemViolation(response, text, status) is { } violation ? new(Difference.NotAProblem, $"{where} but {violation}") : null);
        }
        if (row.Check is not null && row.Check(call, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text)) is { } complaint)
        {
            return (status, new(Difference.Disclosure, $"{row} as {call.Principal}: {status}, but {complaint} {Excerpt(text)}"));
        }
        return (status, null);
    }

    private static Guid Resolve(string target, Match placeholder, MatrixCall call)
    {
        var name = placeholder.Groups["name"].Value;
        if (name != "id") return call.Id(name);
        // {id} is the resource of the collection it follows: /households/{id} is a household, /requests/{id} a request.
        // A world key "collection/next-segment" wins, for the few operations that need another one of the kind
        // (/users/{id}/stand-in addresses a coach without households, not the household's coach).
        var collection = target[..placeholder.Index].TrimEnd('/').Split('/')[^1];
        var next = target[(placeholder.Index + placeholder.Length)..].Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return next is not null && call.Ids.ContainsKey($"{collection}/{next}") ? call.Id($"{collection}/{next}") : call.Id(collection);
    }

    private static string? ProblemViolation(HttpResponseMessage response, string body, int status)
    {
        try
        {
            Http.AssertProblem(response, body, status);
            return null;
        }
        catch (Exception ex) when (ex is Xunit.Sdk.XunitException or JsonException or InvalidOperationException or NullReferenceException)
        {
            return $"the refusal is not a problem+json with status/title/detail ({ex.Message.ReplaceLineEndings(" ")}) {Excerpt(body)}";
        }
    }

    private static string Excerpt(string body)
    {
        var flat = body.ReplaceLineEndings(" ");
        return flat.Length == 0 ? "(empty body)" : "— " + (flat.Length > 240 ? flat[..240] + "…" : flat);
    }

    /// <summary>The table against the document: every operation has an entry, every entry an operation, every cell parses.</summary>
    private static List<string> TableProblems(ApiDocument document)
    {
        var problems = new List<string>();
        var operations = document.Operations.ToDictionary(o => o.Name, StringComparer.Ordinal);
        var rows = AuthorizationMatrix.Rows;
        foreach (var missing in operations.Keys.Where(name => rows.All(r => r.DocumentName != name)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{missing}: an operation of the OpenAPI document without a row in the authorization matrix. " +
                         "A new endpoint needs its entry in tests/Frontlijn.IntegrationTests/Api/AuthorizationMatrix.cs " +
                         "(who may call it, per the SPEC; format at the top of that file).");
        }
        foreach (var row in rows)
        {
            if (!operations.TryGetValue(row.DocumentName, out var operation))
            {
                problems.Add($"{row}: a matrix row for an operation that is not in the OpenAPI document (renamed or removed?).");
                continue;
            }
            try
            {
                if (row.Expectations.Count != AuthorizationMatrix.Columns.Length)
                {
                    problems.Add($"{row}: {row.Expectations.Count} cells, expected one per principal ({AuthorizationMatrix.Columns.Length}).");
                }
            }
            catch (FormatException ex)
            {
                problems.Add($"{row}: {ex.Message}");
            }
            if (operation.Operation["requestBody"] is not null && row.Body is null)
            {
                problems.Add($"{row}: the operation takes a request body but the row has no sample body.");
            }
            if (row.Scope != Scope.None && !rows.Any(r => r.DocumentName == row.DocumentName && r.Scope == (row.Scope == Scope.Own ? Scope.Foreign : Scope.Own)))
            {
                problems.Add($"{row}: an own row needs its foreign row and vice versa.");
            }
        }
        foreach (var twice in rows.GroupBy(r => (r.DocumentName, r.Scope)).Where(g => g.Count() > 1))
        {
            problems.Add($"{twice.Key.DocumentName} [{twice.Key.Scope}]: more than one row.");
        }
        return problems;
    }

    [GeneratedRegex("{(?<name>[A-Za-z]+)}")]
    private static partial Regex Placeholder();
}

/// <summary>
/// The world the matrix runs in, built through the API as its users would: <see cref="Scenario"/> (teams Oost and Zuid,
/// their coaches and leads, Schuldhulp and the woningcorporatie with a back-office user each) plus, per side, a household
/// with a consent, a request with a thread (so its coach has a notification), a goal with an action, an involvement
/// and an assessment, and an untriaged signal in the team's queue. Ids by key (<see cref="Ids"/>):
/// households/householdId, requests, notifications, signals, organisations, teams/teamId, neighbourhoods, users (the
/// household's coach), webhook-deliveries, consentId, involvementId, goalId, actionId, memberId, handoverTo (another
/// coach of the same team), spareNeighbourhood (in no team); for the stand-in operations users/stand-in (a coach of the
/// team without households, so that a stand-in changes nothing else in the matrix) and standIn (a coach of the same
/// team).
/// </summary>
internal sealed class MatrixWorld : IDisposable
{
    private static readonly string WebhookSecret = "whsec_" + Convert.ToBase64String("frontlijn-matrix-webhook-secret-32"u8.ToArray());
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _users = new(StringComparer.Ordinal);
    private int _counter;

    private MatrixWorld(TestApp app) => App = app;

    public TestApp App { get; }

    public Dictionary<Scope, Dictionary<string, Guid>> Ids { get; } = new()
    {
        [Scope.Own] = new(StringComparer.Ordinal),
        [Scope.Foreign] = new(StringComparer.Ordinal),
    };

    /// <summary>Today in Amsterdam by the app's clock (other tests may have moved it).</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(App.Clock.GetUtcNow(), Amsterdam).DateTime);

    public int Next() => Interlocked.Increment(ref _counter);

    public Guid UserId(string username) => _users[username];

    public static string PostalCode(Scope scope) => scope == Scope.Foreign ? "7544 ab" : "8925 ab";

    public static string ServiceCode(Scope scope) => scope == Scope.Foreign ? "huurachterstand" : "schuldhulp-intake";

    public static string CoachOf(Scope scope) => scope == Scope.Foreign ? "coach.fatima" : "coach.anna";

    public static string LeadOf(Scope scope) => scope == Scope.Foreign ? "lead.joost" : "lead.sanne";

    /// <summary>The address of the scope's household, as a signal about it names it.</summary>
    public static object AddressOf(Scope scope) =>
        Builders.Address(PostalCode(scope), scope == Scope.Foreign ? 5 : 12, scope == Scope.Foreign ? "Lindenhof" : "Heechterp",
            scope == Scope.Foreign ? "Enschede" : "Leeuwarden");

    public HttpClient Client(Principal principal) => Client(principal.Username);

    public HttpClient Client(string? username)
    {
        var key = username ?? "";
        if (!_clients.TryGetValue(key, out var client))
        {
            client = App.ClientFor(username);
            _clients[key] = client;
        }
        return client;
    }

    public static async Task<MatrixWorld> CreateAsync(TestApp app)
    {
        var world = new MatrixWorld(app);
        try
        {
            await world.BuildAsync();
            return world;
        }
        catch
        {
            world.Dispose();
            throw;
        }
    }

    private async Task BuildAsync()
    {
        // Large caseloads: the fresh households of the handover and closure rows all go to the coaches.
        var s = await Scenario.CreateAsync(App, maxCaseload: 200);
        var admin = Client("admin");
        foreach (var (username, teamId) in new[] { ("coach.ferdi", s.OtherTeamId), ("coach.carla", s.TeamId), ("coach.gert", s.OtherTeamId) })
        {
            await admin.PostJson("/api/v1/users", new { username, displayName = username, role = "coach", teamId, maxCaseload = 200 })
                .ExpectAsync(HttpStatusCode.Created);
        }
        var users = await admin.GetAsync("/api/v1/users?pageSize=200").ExpectAsync(HttpStatusCode.OK);
        foreach (var user in users["items"]!.AsArray())
        {
            _users[user!["username"]!.GetValue<string>()] = user.Id();
        }
        var spare = await admin.PostJson("/api/v1/neighbourhoods", new
        {
            code = "MX-SPARE", name = "Reservewijk", municipality = "Leeuwarden", postalCodes = new[] { "8911" },
        }).ExpectAsync(HttpStatusCode.Created);
        // An organisation with a webhook (loopback, never delivered: jobs are off) so that an outbox row exists.
        var webhookOrganisation = await admin.PostJson("/api/v1/organisations", new
        {
            name = "GGZ Matrix", kind = "ggz", webhookUrl = "http://127.0.0.1:9/matrix", webhookSecret = WebhookSecret,
            services = new[] { new { code = "ggz-intake", name = "Intake", responseDays = 5, urgentResponseDays = 1 } },
        }).ExpectAsync(HttpStatusCode.Created);

        var own = Ids[Scope.Own];
        own["neighbourhoods"] = s.NeighbourhoodId;
        own["teams"] = own["teamId"] = s.TeamId;
        own["organisations"] = s.OrganisationId;
        own["users"] = s.CoachId;
        own["handoverTo"] = own["standIn"] = s.SecondCoachId;
        own["users/stand-in"] = UserId("coach.carla");
        // A coach without households: an allowed caseload handover hands over nothing and changes the world for no row.
        own["users/caseload-handover"] = UserId("coach.carla");
        var foreign = Ids[Scope.Foreign];
        foreign["neighbourhoods"] = s.OtherNeighbourhoodId;
        foreign["teams"] = foreign["teamId"] = s.OtherTeamId;
        foreign["organisations"] = s.OtherOrganisationId;
        foreign["users"] = s.OtherCoachId;
        foreign["handoverTo"] = foreign["standIn"] = UserId("coach.ferdi");
        foreign["users/stand-in"] = UserId("coach.gert");
        foreign["users/caseload-handover"] = UserId("coach.gert");
        foreach (var side in Ids.Values) side["spareNeighbourhood"] = spare.Id();

        await SideAsync(Scope.Own, s.Coach, s.BackOffice, "Bosma");
        await SideAsync(Scope.Foreign, s.OtherCoach, s.OtherBackOffice, "Jansen");

        // The outbox row: a request of the own household to the organisation with a webhook.
        await Client(s.Coach).PostJson("/api/v1/requests", new
        {
            householdId = own["households"], organisationId = webhookOrganisation.Id(), serviceCode = "ggz-intake",
            question = "Is er al contact met de GGZ?", urgency = "normal", legalBasis = "zwaarwegend-belang",
        }).ExpectAsync(HttpStatusCode.Created);
        var deliveries = await admin.GetAsync("/api/v1/webhook-deliveries").ExpectAsync(HttpStatusCode.OK);
        Assert.True(deliveries["items"]!.AsArray().Count > 0, $"No webhook delivery to point the retry row at: {deliveries.ToJsonString()}");
        own["webhook-deliveries"] = foreign["webhook-deliveries"] = deliveries["items"]![0]!.Id();
    }

    /// <summary>One side's household and everything hanging off it, each made by whoever makes it in real life.</summary>
    private async Task SideAsync(Scope scope, string coach, string backOffice, string familyName)
    {
        var ids = Ids[scope];
        var coachClient = Client(coach);
        var household = await coachClient.PostJson("/api/v1/households", new
        {
            neighbourhoodId = ids["neighbourhoods"],
            address = AddressOf(scope),
            members = new object[]
            {
                new { givenName = "Sandra", familyName, dateOfBirth = "1984-05-12", role = "head" },
                new { givenName = "Tim", familyName, dateOfBirth = "2012-09-01", role = "child" },
            },
        }).ExpectAsync(HttpStatusCode.Created);
        var householdId = household.Id();
        ids["households"] = ids["householdId"] = householdId;
        ids["memberId"] = household["members"]![0]!.Id();
        var h = $"/api/v1/households/{householdId}";

        ids["consentId"] = (await coachClient.PostJson($"{h}/consents", new
        {
            organisationId = ids["organisations"], purpose = ServiceCode(scope), givenByMemberId = ids["memberId"],
            givenOn = Today.AddDays(-1), validUntil = Today.AddYears(1),
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        var requestId = (await coachClient.PostJson("/api/v1/requests", new
        {
            householdId, organisationId = ids["organisations"], serviceCode = ServiceCode(scope),
            question = "Kunt u helpen?", urgency = "normal",
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        ids["requests"] = requestId;
        // The back office asks back: the coach gets a notification of their own.
        await Client(backOffice).PostJson($"/api/v1/requests/{requestId}/messages", new { text = "Welke schulden?" })
            .ExpectAsync(HttpStatusCode.Created);
        var inbox = await coachClient.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        ids["notifications"] = inbox["items"]![0]!.Id();

        var goalId = (await coachClient.PostJson($"{h}/plan/goals", new { domain = "financien", description = "Schulden in beeld" })
            .ExpectAsync(HttpStatusCode.Created)).Id();
        ids["goalId"] = goalId;
        ids["actionId"] = (await coachClient.PostJson($"{h}/plan/goals/{goalId}/actions", new
        {
            description = "Intake bij de schuldhulp", owner = new { kind = "organisation", organisationId = ids["organisations"] },
            dueOn = Today.AddDays(14),
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        ids["involvementId"] = (await coachClient.PostJson($"{h}/involvements", new
        {
            providerName = "Huisartsenpraktijk De Linde", since = Today.AddDays(-60),
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        await coachClient.PostJson($"{h}/assessments", new
        {
            memberId = ids["memberId"], phase = "intake", assessedOn = Today.AddDays(-1),
            scores = new Dictionary<string, int> { ["financien"] = 1, ["huisvesting"] = 2 },
        }).ExpectAsync(HttpStatusCode.Created);

        // An untriaged signal in the team's queue: an address in the team's PC4 where nobody is registered.
        var signal = await Client(backOffice).PostJson("/api/v1/signals", Builders.ASignal(Builders.Address(PostalCode(scope), 99)))
            .ExpectAsync(HttpStatusCode.Created);
        ids["signals"] = signal.Id("signalId");
    }

    /// <summary>See <see cref="Fresh.Household"/>.</summary>
    public async Task FreshHouseholdAsync(MatrixCall call)
    {
        // 10000 up: apart from POST /households' sample addresses (300 up), which stay open, as reopened ones do.
        var household = await Client(CoachOf(call.Scope)).PostJson("/api/v1/households",
                Builders.AHousehold(call.Ids["neighbourhoods"], PostalCode(call.Scope), 10000 + Next(), familyName: "Vers"))
            .ExpectAsync(HttpStatusCode.Created);
        call.Ids["households"] = call.Ids["householdId"] = household.Id();
        call.Ids["memberId"] = household["members"]![0]!.Id();
    }

    /// <summary>The scope's coach adds something under the cell's household; its id goes to <paramref name="key"/>.</summary>
    public async Task FreshAsync(MatrixCall call, string key, string path, object body)
    {
        var created = await Client(CoachOf(call.Scope)).PostJson($"/api/v1/households/{call.Ids["households"]}/{path}", body)
            .ExpectAsync(HttpStatusCode.Created);
        call.Ids[key] = created.Id();
    }

    /// <summary>See <see cref="Fresh.ClosingHousehold"/>.</summary>
    public async Task FreshClosingHouseholdAsync(MatrixCall call)
    {
        await FreshHouseholdAsync(call);
        var closing = await Client(CoachOf(call.Scope)).PostJson($"/api/v1/households/{call.Ids["households"]}/closure", new { reason = "Doelen bereikt" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("closing", closing["status"]?.GetValue<string>());
    }

    /// <summary>See <see cref="Fresh.ClosedHousehold"/>.</summary>
    public async Task FreshClosedHouseholdAsync(MatrixCall call)
    {
        await FreshClosingHouseholdAsync(call);
        var closed = await Client(CoachOf(call.Scope)).PostJson($"/api/v1/households/{call.Ids["households"]}/closure", new { reason = "Afgerond" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("closed", closed["status"]?.GetValue<string>());
    }

    /// <summary>See <see cref="Fresh.Request"/>.</summary>
    public async Task FreshRequestAsync(MatrixCall call)
    {
        var request = await Client(CoachOf(call.Scope)).PostJson("/api/v1/requests", new
        {
            householdId = call.Ids["households"], organisationId = call.Ids["organisations"], serviceCode = ServiceCode(call.Scope),
            question = "Nog een vraag", urgency = "normal", legalBasis = "zwaarwegend-belang",
        }).ExpectAsync(HttpStatusCode.Created);
        call.Ids["requests"] = request.Id();
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _clients.Clear();
    }
}
