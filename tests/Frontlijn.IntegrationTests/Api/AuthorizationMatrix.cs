using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Api;

/// <summary>
/// What the SPEC says every caller gets from every operation of the API — the expectations of
/// <see cref="AuthorizationMatrixTests"/>. One entry per operation of the OpenAPI document; an operation without an
/// entry fails the test, and so does an entry without an operation.
///
/// <para><b>Format.</b> <c>Op("METHOD /path{?query}", own, foreign?, body?, prepare?, check?, contentType?)</c>:</para>
/// <list type="bullet">
/// <item>The path is the document's (relative to <c>/api/v1</c>), with an optional query. Placeholders are filled from
/// the world: <c>{id}</c> by the segment before it (<c>/households/{id}</c> → the household, <c>/requests/{id}</c> →
/// the request, <c>/users/{id}</c> → the household's coach, ...), any other <c>{name}</c> by its name
/// (<c>{consentId}</c>, <c>{goalId}</c>, <c>{teamId}</c>, ...). See <see cref="MatrixWorld"/> for the keys.</item>
/// <item><c>own</c>: nine cells, one per principal in the order of <see cref="Columns"/>, against the OWN resources
/// (the household of team Oost coached by coach.anna, its request to Schuldhulp, ...). <c>foreign</c>: the same nine
/// principals against the FOREIGN resources (the household of team Zuid coached by coach.fatima, its request to the
/// woningcorporatie); leave it out for an operation on nothing household-bound (organisation structure, lists).</item>
/// <item>A cell is <c>ok</c> (allowed: a read answers 2xx; a change answers 2xx, or 409 when the state no longer
/// allows it — never 400, so the sample body must be valid), or the exact refusal: <c>401</c> anonymous, <c>403</c> the
/// role may never do this (it reveals nothing), <c>404</c> the role may, but this resource is outside the caller's
/// need-to-know ("Anything else answers 404 (do not reveal existence)"). Every refusal must be problem+json.</item>
/// <item><c>body</c>: a valid request body for the caller (<see cref="MatrixCall"/>); required when the document
/// declares a request body. <c>prepare</c>: runs before every cell, e.g. <see cref="Fresh.Household"/> gives each
/// cell a household of its own where an allowed call changes it for good (closure, handover).
/// <c>check</c>: an extra assertion on an allowed answer (null = fine, else the complaint).</item>
/// </list>
/// A new endpoint is one entry, e.g.:
/// <code>Op("PATCH /users/{id}", "401 403 403 403 403 403 403 403 ok", body: c => new { displayName = "Anna" }, contentType: MergePatch),</code>
/// </summary>
internal static class AuthorizationMatrix
{
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>The principals, in cell order. Own = of team Oost / Schuldhulp; foreign = of team Zuid / the woningcorporatie.</summary>
    public static readonly Principal[] Columns =
    [
        new("anon", "anonymous (no token)", null, null, Scope.None),
        new("coach", "coach of the own team, the household's own coach", "coach.anna", "coach", Scope.Own),
        new("mate", "second coach of the own team, not the household's coach", "coach.bram", "coach", Scope.Own),
        new("fcoach", "coach of the foreign team", "coach.fatima", "coach", Scope.Foreign),
        new("lead", "team lead of the own team", "lead.sanne", "team-lead", Scope.Own),
        new("flead", "team lead of the foreign team", "lead.joost", "team-lead", Scope.Foreign),
        new("bo", "back office of the organisation the own request is addressed to", "schuldhulp.pieter", "back-office", Scope.Own),
        new("fbo", "back office of another organisation (the foreign request's addressee)", "woning.lisa", "back-office", Scope.Foreign),
        new("admin", "functional administrator", "admin", "admin", Scope.None),
    ];

    public static readonly MatrixRow[] Rows =
    [
        // SPEC: "POST/GET neighbourhoods | admin / all", likewise teams and organisations; users are the admin's.
        //                                                     anon coach mate fcoach lead flead bo fbo admin
        .. Op("GET /openapi.json",                             "ok  ok  ok  ok  ok  ok  ok  ok  ok"),
        .. Op("GET /neighbourhoods",                           "401 ok  ok  ok  ok  ok  ok  ok  ok"),
        .. Op("POST /neighbourhoods",                          "401 403 403 403 403 403 403 403 ok", body: Bodies.Neighbourhood),
        .. Op("GET /neighbourhoods/{id}",                      "401 ok  ok  ok  ok  ok  ok  ok  ok"),
        .. Op("GET /teams",                                    "401 ok  ok  ok  ok  ok  ok  ok  ok"),
        .. Op("POST /teams",                                   "401 403 403 403 403 403 403 403 ok", body: Bodies.Team),
        .. Op("GET /teams/{id}",                               "401 ok  ok  ok  ok  ok  ok  ok  ok"),
        .. Op("GET /organisations",                            "401 ok  ok  ok  ok  ok  ok  ok  ok"),
        .. Op("POST /organisations",                           "401 403 403 403 403 403 403 403 ok", body: Bodies.Organisation),
        .. Op("GET /organisations/{id}",                       "401 ok  ok  ok  ok  ok  ok  ok  ok"),
        .. Op("PUT /organisations/{id}/escalation-contact",    "401 403 403 403 403 403 403 403 ok",
            body: c => new { userId = c.World.UserId("schuldhulp.pieter") }),
        .. Op("GET /users",                                    "401 403 403 403 403 403 403 403 ok"),
        .. Op("POST /users",                                   "401 403 403 403 403 403 403 403 ok", body: Bodies.User),
        .. Op("GET /users/{id}",                               "401 403 403 403 403 403 403 403 ok"),
        // Administration over time (round 2): the admin's.
        .. Op("PATCH /users/{id}",                             "401 403 403 403 403 403 403 403 ok",
            body: c => new { displayName = $"Anna {c.World.Next()}" }, contentType: MergePatch),
        // Stand-ins (round 2): the team lead of that coach's team.
        .. Op("PUT /users/{id}/stand-in",                      "401 403 403 403 ok  404 403 403 403",
                                                               "401 403 403 403 404 ok  403 403 403",
            body: c => new { standInId = c.Id("standIn"), from = c.World.Today, until = c.World.Today.AddDays(14) }),
        .. Op("DELETE /users/{id}/stand-in",                   "401 403 403 403 ok  404 403 403 403",
                                                               "401 403 403 403 404 ok  403 403 403",
            prepare: async c => await c.World.Client(MatrixWorld.LeadOf(c.Scope))
                .PutJson($"/api/v1/users/{c.Id("users/stand-in")}/stand-in",
                    new { standInId = c.Id("standIn"), from = c.World.Today, until = c.World.Today.AddDays(14) })
                .ExpectAsync(HttpStatusCode.OK)),
        // Administration over time (round 2): organisations and their services are the admin's. Each cell changes an
        // organisation of its own, so that an allowed change never touches the world the other rows rely on.
        .. Op("PATCH /organisations/{id}",                     "401 403 403 403 403 403 403 403 ok",
            body: c => new { name = $"Hernoemd {c.World.Next()}", kind = "ggz", active = true }, prepare: Fresh.Organisation,
            contentType: MergePatch),
        .. Op("PATCH /teams/{id}",                             "401 403 403 403 403 403 403 403 ok",
            body: c => new { name = $"Hernoemd team {c.World.Next()}", neighbourhoodIds = new[] { c.Id("spareNeighbourhood") } },
            prepare: Fresh.Team, contentType: MergePatch),
        .. Op("PATCH /neighbourhoods/{id}",                    "401 403 403 403 403 403 403 403 ok",
            body: c => new { name = $"Hernoemde wijk {c.World.Next()}", postalCodes = new[] { "8912" } },
            prepare: Fresh.Neighbourhood, contentType: MergePatch),
        // {code}: a service code of its own per cell (a uuid is a valid kebab-case code), created by the allowed PUT.
        .. Op("PUT /organisations/{id}/services/{code}",       "401 403 403 403 403 403 403 403 ok",
            body: _ => new { name = "Matrixdienst", responseDays = 5, urgentResponseDays = 1, active = true },
            prepare: async c => { await Fresh.Organisation(c); c.Ids["code"] = Guid.NewGuid(); }),
        // Caseload handover (round 2): the team lead of that coach's team; another team's lead gets 404.
        .. Op("POST /users/{id}/caseload-handover",            "401 403 403 403 ok  404 403 403 403",
                                                               "401 403 403 403 404 ok  403 403 403",
            body: c => new { toCoachIds = new[] { c.Id("handoverTo") }, reason = "Coach vertrekt" }),
        // Webhook secrets (round 2): the admin's.
        .. Op("POST /organisations/{id}/webhook-secrets",      "401 403 403 403 403 403 403 403 ok", body: _ => new { }),
        .. Op("GET /organisations/{id}/webhook-secrets",       "401 403 403 403 403 403 403 403 ok"),
        .. Op("DELETE /organisations/{id}/webhook-secrets/{secretId}",
                                                               "401 403 403 403 403 403 403 403 ok",
            prepare: async c =>
            {
                // A secret of an organisation of its own per cell: refused removals leave theirs (at most 5 active).
                var admin = c.World.Client("admin");
                c.Ids["organisations"] = (await admin.PostJson("/api/v1/organisations",
                    new { name = $"Geheimhouder {c.World.Next()}", kind = "ggz", services = Array.Empty<object>() })
                    .ExpectAsync(HttpStatusCode.Created)).Id();
                c.Ids["secretId"] = (await admin.PostJson($"/api/v1/organisations/{c.Id("organisations")}/webhook-secrets", new { })
                    .ExpectAsync(HttpStatusCode.Created)).Id();
            }),
        .. Op("GET /webhook-deliveries",                       "401 403 403 403 403 403 403 403 ok"),
        .. Op("POST /webhook-deliveries/{id}/retry",           "401 403 403 403 403 403 403 403 ok"),

        // Households. Need-to-know: coaches and team leads of the household's team see it; back office and admin
        // never browse households (403: their role never may); another team gets 404.
        //                                                     anon coach mate fcoach lead flead bo fbo admin
        .. Op("GET /households",                               "401 ok  ok  ok  ok  ok  403 403 403"),
        .. Op("POST /households",                              "401 ok  ok  ok  ok  ok  403 403 403", body: Bodies.Household),
        // Search by BSN (round 2): in the caller's own team only, so every coach and team lead may ask.
        .. Op("POST /households/search",                       "401 ok  ok  ok  ok  ok  403 403 403",
            body: _ => new { bsn = Builders.Bsn1 }),
        .. Op("GET /households/{id}",                          "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403"),
        .. Op("GET /households/{id}/coach-history",            "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403"),
        // The household's status history (round 3): the same need-to-know as its coach history.
        .. Op("GET /households/{id}/status-history",           "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403"),
        // "team-lead (any), coach (hand over own)": a coach of the team who is not the contact may see it: 403.
        .. Op("PUT /households/{id}/coach",                    "401 ok  403 404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403",
            body: c => new { coachId = c.Id("handoverTo"), reason = "Past beter bij de hulpvraag" }, prepare: Fresh.Household),
        // "POST closure | coach": the household's coach; the team lead of its team may close too (docs/ARCHITECTURE.md:
        // a coach who left, or is away, must not keep a household open), another team's lead gets 404.
        .. Op("POST /households/{id}/closure",                 "401 ok  403 404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403",
            body: _ => new { reason = "Doelen bereikt" }, prepare: Fresh.Household),
        // Households over time (round 2): "POST reopening | team lead" — a coach's role never may (403).
        .. Op("POST /households/{id}/reopening",               "401 403 403 403 ok  404 403 403 403",
                                                               "401 403 403 403 404 ok  403 403 403",
            body: _ => new { reason = "Het gezin meldt zich opnieuw" }, prepare: Fresh.ClosedHousehold),
        // A move: the household's coach (or stand-in) and the team lead.
        .. Op("PATCH /households/{id}",                        "401 ok  403 404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403",
            body: c => new { neighbourhoodId = c.Id("neighbourhoods") }, contentType: MergePatch),
        // Members: the household's coach (or stand-in) and the team lead; a colleague of the team sees, but may not change (403).
        .. Op("POST /households/{id}/members",                 "401 ok  403 404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403",
            body: _ => new { givenName = "Noor", familyName = "Bosma", dateOfBirth = "2024-03-01", role = "child" }),
        .. Op("PATCH /households/{id}/members/{memberId}",     "401 ok  403 404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403",
            body: _ => new { givenName = "Sandra" }, contentType: MergePatch),
        .. Op("POST /households/{id}/members/{memberId}/departure", "401 ok  403 404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403",
            body: c => new { on = c.World.Today, reason = "Verhuisd naar een eigen woning" }, prepare: Fresh.Household),
        .. Op("GET /households/{id}/access-log",               "401 403 403 403 ok  404 403 403 ok",
                                                               "401 403 403 403 404 ok  403 403 ok"),
        // The household's rights (round 2): the art. 15 export as the access log; legal hold and the retention list the admin's.
        .. Op("GET /households/{id}/export",                   "401 403 403 403 ok  404 403 403 ok",
                                                               "401 403 403 403 404 ok  403 403 ok"),
        .. Op("POST /households/{id}/legal-hold",              "401 403 403 403 403 403 403 403 ok",
                                                               "401 403 403 403 403 403 403 403 ok",
            body: c => new { reason = "Lopende procedure bij de rechtbank", until = c.World.Today.AddYears(1) }),
        .. Op("GET /retention/due",                            "401 403 403 403 403 403 403 403 ok"),

        // Caseloads: the coach's own; the team lead's view of the team's coaches.
        .. Op("GET /caseload",                                 "401 ok  ok  ok  403 403 403 403 403"),
        .. Op("GET /caseload/coaches",                         "401 403 403 403 ok  ok  403 403 403"),

        // Signals: "any authenticated", and no oracle (round 2) — a sender outside the matched household's team
        // learns only {signalId, routedTo{kind, displayName, teamName}}.
        .. Op("POST /signals",                                 "401 ok  ok  ok  ok  ok  ok  ok  ok",
                                                               "401 ok  ok  ok  ok  ok  ok  ok  ok",
            body: c => Builders.ASignal(MatrixWorld.AddressOf(c.Scope)), check: Checks.NoOracle),
        .. Op("GET /signals?status=untriaged",                 "401 403 403 403 ok  ok  403 403 403"),
        .. Op("POST /signals/{id}/triage",                     "401 403 403 403 ok  404 403 403 403",
                                                               "401 403 403 403 404 ok  403 403 403",
            body: c => new { householdId = c.Id("households"), reason = "Hoort bij een bekend huishouden" }),

        // Notifications: everyone's own inbox; someone else's notification does not exist for you.
        .. Op("GET /notifications",                            "401 ok  ok  ok  ok  ok  ok  ok  ok"),
        .. Op("POST /notifications/{id}/read",                 "401 ok  404 404 404 404 404 404 404",
                                                               "401 404 404 ok  404 404 404 404 404"),

        // Requests: sent by the household's coach; seen by the team and the addressed back office; changed "by role"
        // (the addressee acknowledges, answers, ...; the coach withdraws); the thread is between the coach (own
        // coach or stand-in, round 2) and the addressee.
        //                                                     anon coach mate fcoach lead flead bo fbo admin
        .. Op("POST /requests",                                "401 ok  403 404 403 403 403 403 403",
                                                               "401 404 404 ok  403 403 403 403 403", body: Bodies.Request),
        .. Op("GET /requests",                                 "401 ok  ok  ok  ok  ok  ok  ok  403"),
        .. Op("GET /requests/{id}",                            "401 ok  ok  404 ok  404 ok  404 403",
                                                               "401 404 404 ok  404 ok  404 ok  403"),
        .. Op("GET /requests/{id}/status-changes",             "401 ok  ok  404 ok  404 ok  404 403",
                                                               "401 404 404 ok  404 ok  404 ok  403"),
        .. Op("GET /requests/{id}/messages",                   "401 ok  ok  404 ok  404 ok  404 403",
                                                               "401 404 404 ok  404 ok  404 ok  403"),
        .. Op("POST /requests/{id}/messages",                  "401 ok  403 404 403 403 ok  404 403",
                                                               "401 404 404 ok  403 403 404 ok  403",
            body: _ => new { text = "Kunt u aangeven welke schulden het betreft?" }),
        .. Op("POST /requests/{id}/status-changes",            "401 ok  403 404 403 403 ok  404 403",
                                                               "401 404 404 ok  403 403 404 ok  403",
            body: Bodies.StatusChange, prepare: Fresh.Request),
        // Assignment to a colleague (issue 10, a contract extension): the addressed back office only.
        .. Op("PUT /requests/{id}/assignee",                   "401 403 403 403 403 403 ok  404 403",
                                                               "401 403 403 403 403 403 404 ok  403",
            body: c => new { userId = c.World.UserId(c.Scope == Scope.Own ? "schuldhulp.pieter" : "woning.lisa") }),
        .. Op("DELETE /requests/{id}/assignee",                "401 403 403 403 403 403 ok  404 403",
                                                               "401 403 403 403 403 403 404 ok  403"),

        // Consents, involvements and the plan: the coach's ("who: coach"); the team sees them (need-to-know), but
        // only the household's own coach (or stand-in) changes them — round 2 says so for consents, involvements
        // and thread posts, and the one-contact model for the plan and the ZRM.
        .. Op("GET /households/{id}/consents",                 "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403"),
        .. Op("POST /households/{id}/consents",                "401 ok  403 404 403 403 403 403 403",
                                                               "401 404 404 ok  403 403 403 403 403", body: Bodies.Consent),
        .. Op("DELETE /households/{id}/consents/{consentId}",  "401 ok  403 404 403 403 403 403 403",
                                                               "401 404 404 ok  403 403 403 403 403", prepare: Fresh.Consent),
        .. Op("GET /households/{id}/involvements",             "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403"),
        .. Op("POST /households/{id}/involvements",            "401 ok  403 404 403 403 403 403 403",
                                                               "401 404 404 ok  403 403 403 403 403", body: Bodies.Involvement),
        .. Op("POST /households/{id}/involvements/{involvementId}/end",
                                                               "401 ok  403 404 403 403 403 403 403",
                                                               "401 404 404 ok  403 403 403 403 403", body: _ => new { }, prepare: Fresh.Involvement),
        .. Op("GET /households/{id}/plan",                     "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403"),
        .. Op("GET /households/{id}/plan/goals",               "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403"),
        .. Op("POST /households/{id}/plan/goals",              "401 ok  403 404 403 403 403 403 403",
                                                               "401 404 404 ok  403 403 403 403 403", body: Bodies.Goal),
        .. Op("POST /households/{id}/plan/goals/{goalId}/actions",
                                                               "401 ok  403 404 403 403 403 403 403",
                                                               "401 404 404 ok  403 403 403 403 403", body: Bodies.Action),
        .. Op("POST /households/{id}/plan/goals/{goalId}/actions/{actionId}/done",
                                                               "401 ok  403 404 403 403 403 403 403",
                                                               "401 404 404 ok  403 403 403 403 403", body: _ => new { }, prepare: Fresh.Action),
        .. Op("POST /households/{id}/plan/goals/{goalId}/status",
                                                               "401 ok  403 404 403 403 403 403 403",
                                                               "401 404 404 ok  403 403 403 403 403", body: _ => new { status = "achieved" },
            prepare: Fresh.Goal),
        .. Op("POST /households/{id}/plan/review",             "401 ok  403 404 403 403 403 403 403",
                                                               "401 404 404 ok  403 403 403 403 403",
            body: c => new { nextReviewOn = c.World.Today.AddMonths(3) }),
        .. Op("GET /households/{id}/assessments",              "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403"),
        // The team lead of the household's team may record a ZRM too (at closure when the coach is away).
        .. Op("POST /households/{id}/assessments",             "401 ok  403 404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403", body: Bodies.Assessment),

        // Reports: the team lead's, of their own team.
        //                                                     anon coach mate fcoach lead flead bo fbo admin
        .. Op("GET /reports/providers-per-household?teamId={teamId}",
                                                               "401 403 403 403 ok  404 403 403 403",
                                                               "401 403 403 403 404 ok  403 403 403"),
        .. Op("GET /reports/team?teamId={teamId}",             "401 403 403 403 ok  404 403 403 403",
                                                               "401 403 403 403 404 ok  403 403 403"),
        .. Op("GET /reports/household-outcomes/{householdId}", "401 403 403 403 ok  404 403 403 403",
                                                               "401 403 403 403 404 ok  403 403 403"),
        .. Op("POST /reports/household-outcomes/{householdId}/sign-off",
                                                               "401 403 403 403 ok  404 403 403 403",
                                                               "401 403 403 403 404 ok  403 403 403", body: _ => new { note = "Akkoord" },
            prepare: Fresh.ClosingHousehold),
        // Team objectives (issue 14): the team lead of that team, and the admin; coaches and back office never.
        //                                                     anon coach mate fcoach lead flead bo fbo admin
        .. Op("GET /teams/{id}/objectives",                    "401 403 403 403 ok  404 403 403 ok",
                                                               "401 403 403 403 404 ok  403 403 ok"),
        .. Op("POST /teams/{id}/objectives",                   "401 403 403 403 ok  404 403 403 ok",
                                                               "401 403 403 403 404 ok  403 403 ok",
            body: _ => new { metric = "households-per-coach", target = 12.5, from = "2026-01-01", to = "2026-12-31" }),

        // Outside the building (round 3, issue 13). The reply link's token is the authority, not the caller: without
        // a token we issued, everyone (anonymous included) gets 404 and nothing changes.
        //                                                     anon coach mate fcoach lead flead bo fbo admin
        .. Op("POST /reply-links/status-changes",              "404 404 404 404 404 404 404 404 404",
            body: _ => new { token = "geen-token-van-frontlijn", status = "acknowledged" }),
        // The coach sees whether the link was sent and opened; the team sees it, the household's coach and the team
        // lead revoke it. Each cell gets a request of its own to an organisation that answers by link.
        .. Op("GET /requests/{id}/reply-link",                 "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403", prepare: ReplyLinkRequest),
        .. Op("DELETE /requests/{id}/reply-link",              "401 ok  403 404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403", prepare: ReplyLinkRequest),
        .. Op("PUT /users/{id}/email",                         "401 403 403 403 403 403 403 403 ok",
            body: _ => new { email = "anna@wijkteam.test" }),
        // Meetings: the team sees them; the household's coach (or stand-in) and the team lead record them.
        .. Op("POST /households/{id}/meetings",                "401 ok  403 404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403",
            body: c => new { date = c.World.Today, kind = "round-table", durationMinutes = 60,
                participants = new object[] { new { organisationId = c.Id("organisations") }, new { name = "Huisarts" } }, householdPresent = true }),
        .. Op("GET /households/{id}/meetings",                 "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403"),
        .. Op("GET /reports/coordination?teamId={teamId}",     "401 403 403 403 ok  404 403 403 403",
                                                               "401 403 403 403 404 ok  403 403 403"),
        // Outreach visits (issue 14): coach and team lead plan and list (their team's); the outcome is the visit's team's.
        .. Op("POST /visits",                                  "401 ok  ok  ok  ok  ok  403 403 403", body: Bodies.Visit),
        .. Op("GET /visits",                                   "401 ok  ok  ok  ok  ok  403 403 403"),
        .. Op("POST /visits/{id}/outcome",                     "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403",
            body: _ => new { result = "talked", note = "Gesproken aan de deur" }, prepare: PlannedVisit),
        // One visit (the phone page's outcome form): whoever may record its outcome may read it.
        .. Op("GET /visits/{id}",                              "401 ok  ok  404 ok  404 403 403 403",
                                                               "401 404 404 ok  404 ok  403 403 403", prepare: PlannedVisit),
        // Costs (issue 14): the team lead of their own team, the administrator of any team.
        .. Op("GET /reports/costs?teamId={teamId}",            "401 403 403 403 ok  404 403 403 ok",
                                                               "401 403 403 403 404 ok  403 403 ok"),
        // The resident's own window (round 2, "The household's rights"): residents only, never staff (403 for every
        // staff role). Residents are not a column: tests/Frontlijn.IntegrationTests/Api/ResidentAccessTests.cs.
        .. Op("GET /me/household",                             "401 403 403 403 403 403 403 403 403"),
        .. Op("GET /me/access-log",                            "401 403 403 403 403 403 403 403 403"),
        .. Op("DELETE /me/consents/{consentId}",               "401 403 403 403 403 403 403 403 403"),
        .. Op("POST /me/plan/goals/{goalId}/notes",            "401 403 403 403 403 403 403 403 403", body: _ => new { text = "Dit doel klopt." }),
        .. Op("GET /me/export",                                "401 403 403 403 403 403 403 403 403"),
        .. Op("PUT /me/plan/agreement",                        "401 403 403 403 403 403 403 403 403", body: _ => new { agrees = true }),
        // Issue 14: the address view is the team lead's (another team's households there only as a count, so both
        // leads get 200); the neighbourhood report is the team lead's own team or, for the admin, the municipality.
        //                                                     anon coach mate fcoach lead flead bo fbo admin
        .. Op("GET /address-overview?postalCode=8925AB&houseNumber=12",
                                                               "401 403 403 403 ok  ok  403 403 403"),
        .. Op("GET /reports/neighbourhoods",                   "401 403 403 403 ok  ok  403 403 ok"),
    ];

    /// <summary>A request of the scope's household, by its coach, to a new organisation that answers by reply link.</summary>
    private static async Task ReplyLinkRequest(MatrixCall c)
    {
        var organisation = await c.World.Client("admin").PostJson("/api/v1/organisations", new
        {
            name = $"Stichting Matrix {c.World.Next()}", kind = "vrijwilligers",
            services = new[] { new { code = "maatje", name = "Maatje", responseDays = 5, urgentResponseDays = 1 } },
            replyByLink = true, functionalEmail = "verzoeken@matrix.test",
        }).ExpectAsync(HttpStatusCode.Created);
        c.Ids["requests"] = (await c.World.Client(MatrixWorld.CoachOf(c.Scope)).PostJson("/api/v1/requests", new
        {
            householdId = c.Id("households"), organisationId = organisation.Id(), serviceCode = "maatje", question = "Een maatje?",
            urgency = "normal", legalBasis = "zwaarwegend-belang",
        }).ExpectAsync(HttpStatusCode.Created)).Id();
    }

    /// <summary>A visit of the scope's team, at a new address in its neighbourhood, planned by its coach (each cell its own).</summary>
    private static async Task PlannedVisit(MatrixCall c) =>
        c.Ids["visits"] = (await c.World.Client(MatrixWorld.CoachOf(c.Scope)).PostJson("/api/v1/visits", new
        {
            address = Builders.Address(MatrixWorld.PostalCode(c.Scope), 500 + c.World.Next()), plannedOn = c.World.Today,
            reason = "Buren maken zich zorgen",
        }).ExpectAsync(HttpStatusCode.Created)).Id();

    /// <summary>One entry: a row against the own resources and, when <paramref name="foreign"/> is given, one against the foreign ones.</summary>
    private static MatrixRow[] Op(
        string operation, string own, string? foreign = null, Func<MatrixCall, object?>? body = null,
        Func<MatrixCall, Task>? prepare = null, Func<MatrixCall, JsonNode?, string?>? check = null,
        string contentType = "application/json") =>
        foreign is null
            ? [new MatrixRow(operation, Scope.None, own, body, prepare, check, contentType)]
            : [new MatrixRow(operation, Scope.Own, own, body, prepare, check, contentType),
               new MatrixRow(operation, Scope.Foreign, foreign, body, prepare, check, contentType)];

    /// <summary>Valid sample bodies. Names and numbers are unique per call so that an allowed create really creates.</summary>
    private static class Bodies
    {
        public static object Neighbourhood(MatrixCall c)
        {
            var n = c.World.Next();
            return new { code = $"MX-{n}", name = $"Matrixwijk {n}", municipality = "Leeuwarden", postalCodes = new[] { $"{9000 + n}" } };
        }

        public static object Team(MatrixCall c) =>
            new { name = $"Matrixteam {c.World.Next()}", neighbourhoodIds = new[] { c.Id("spareNeighbourhood") } };

        public static object Organisation(MatrixCall c) => new
        {
            name = $"Matrixorganisatie {c.World.Next()}", kind = "ggz",
            services = new[] { new { code = "ggz-intake", name = "Intake", responseDays = 5, urgentResponseDays = 1 } },
        };

        public static object User(MatrixCall c) => new
        {
            username = $"matrix.user{c.World.Next()}", displayName = "Matrix Gebruiker", role = "coach", teamId = c.Id("teams"), maxCaseload = 10,
        };

        /// <summary>In the caller's own team's neighbourhood (a household is registered in the team of whoever registers it).</summary>
        public static object Household(MatrixCall c)
        {
            var team = c.Principal.Team == Scope.Foreign ? Scope.Foreign : Scope.Own;
            return Builders.AHousehold(c.World.Ids[team]["neighbourhoods"], MatrixWorld.PostalCode(team),
                houseNumber: 300 + c.World.Next(), familyName: "Matrix");
        }

        /// <summary>At a new address in the caller's own team's neighbourhood.</summary>
        public static object Visit(MatrixCall c) => new
        {
            address = Builders.Address(MatrixWorld.PostalCode(c.Principal.Team == Scope.Foreign ? Scope.Foreign : Scope.Own), 700 + c.World.Next()),
            plannedOn = c.World.Today, reason = "Huisbezoek na melding",
        };

        public static object Request(MatrixCall c) => new
        {
            householdId = c.Id("households"), organisationId = c.Id("organisations"), serviceCode = MatrixWorld.ServiceCode(c.Scope),
            question = "Kunt u de schuldenpositie in kaart brengen?", urgency = "normal", legalBasis = "zwaarwegend-belang",
        };

        /// <summary>"By role": the coach withdraws, everyone else tries what the addressee does first.</summary>
        public static object StatusChange(MatrixCall c) => c.Principal.Role == "coach"
            ? new { status = "withdrawn", note = "Niet meer nodig", expectedVersion = 1 }
            : (object)new { status = "acknowledged", expectedVersion = 1 };

        public static object Consent(MatrixCall c) => new
        {
            organisationId = c.Id("organisations"), purpose = MatrixWorld.ServiceCode(c.Scope), givenByMemberId = c.Id("memberId"),
            givenOn = c.World.Today.AddDays(-1), validUntil = c.World.Today.AddYears(1),
        };

        public static object Involvement(MatrixCall c) =>
            new { providerName = $"Huisartsenpraktijk {c.World.Next()}", since = c.World.Today.AddDays(-30) };

        public static object Goal(MatrixCall c) => new { domain = "financien", description = "Schulden in beeld en een regeling" };

        public static object Action(MatrixCall c) =>
            new { description = "Afspraak maken met de schuldhulp", owner = new { kind = "coach" }, dueOn = c.World.Today.AddDays(30) };

        public static object Assessment(MatrixCall c) => new
        {
            memberId = c.Id("memberId"), phase = "intake", assessedOn = c.World.Today.AddDays(-1), instrumentVersion = "ZRM 2017",
            scores = new Dictionary<string, int> { ["financien"] = 2, ["huisvesting"] = 3 },
        };
    }

    /// <summary>Extra assertions on allowed answers.</summary>
    private static class Checks
    {
        private static readonly HashSet<string> OracleFree = new(StringComparer.Ordinal) { "signalId", "routedTo" };
        private static readonly HashSet<string> RoutedToFree = new(StringComparer.Ordinal) { "kind", "displayName", "teamName" };

        /// <summary>
        /// "Signals: no oracle": to a sender who is not a coach or team lead of the matched household's team, only
        /// {signalId, routedTo: {kind, displayName, teamName}} — never householdId or matched.
        /// </summary>
        public static string? NoOracle(MatrixCall c, JsonNode? body)
        {
            var insider = c.Principal.Team == c.Scope && c.Principal.Role is "coach" or "team-lead";
            if (insider || body is not JsonObject answer) return null;
            var extra = answer.Select(p => p.Key).Where(k => !OracleFree.Contains(k))
                .Concat((answer["routedTo"] as JsonObject ?? []).Select(p => "routedTo." + p.Key)
                    .Where(k => !RoutedToFree.Contains(k["routedTo.".Length..])))
                .ToList();
            return extra.Count == 0 ? null : $"oracle: a sender outside the household's team was told {string.Join(", ", extra)}";
        }
    }
}

/// <summary>Which resources a row addresses: the own team's, the foreign team's, or nothing household-bound.</summary>
internal enum Scope
{
    None,
    Own,
    Foreign,
}

/// <param name="Column">Short name in the table and in failure messages.</param>
/// <param name="Username">Null for anonymous.</param>
/// <param name="Team">Which side the principal is on (own = team Oost / Schuldhulp, foreign = team Zuid / the woningcorporatie).</param>
internal sealed record Principal(string Column, string Label, string? Username, string? Role, Scope Team)
{
    public override string ToString() => Username is null ? Column : $"{Column} ({Username})";
}

/// <summary>What a cell expects: allowed, or this exact refusal.</summary>
internal readonly record struct Expectation(int? Refusal)
{
    public bool Allowed => Refusal is null;

    public static Expectation Parse(string cell) => cell switch
    {
        "ok" => new(null),
        "401" or "403" or "404" => new(int.Parse(cell, System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new FormatException($"A matrix cell is ok, 401, 403 or 404, not '{cell}'."),
    };

    public override string ToString() => Refusal is { } status ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "allowed";
}

internal sealed record MatrixRow(
    string Operation, Scope Scope, string Cells, Func<MatrixCall, object?>? Body, Func<MatrixCall, Task>? Prepare,
    Func<MatrixCall, JsonNode?, string?>? Check, string ContentType)
{
    public string Method => Operation[..Operation.IndexOf(' ', StringComparison.Ordinal)].ToLowerInvariant();

    /// <summary>Path and query as written, relative to the API base.</summary>
    public string Target => Operation[(Operation.IndexOf(' ', StringComparison.Ordinal) + 1)..];

    /// <summary>The operation's name as <see cref="ApiOperation.Name"/> gives it (no query).</summary>
    public string DocumentName => $"{Method.ToUpperInvariant()} {Target.Split('?')[0]}";

    public IReadOnlyList<Expectation> Expectations =>
        [.. Cells.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Expectation.Parse)];

    public override string ToString() => Scope == Scope.None ? Operation : $"{Operation} [{Scope.ToString().ToLowerInvariant()}]";
}

/// <summary>One cell being sent: the world, the row's scope, the caller, and the ids its placeholders resolve to.</summary>
internal sealed class MatrixCall(MatrixWorld world, Scope scope, Principal principal)
{
    public MatrixWorld World { get; } = world;

    /// <summary>Own for rows without a scope.</summary>
    public Scope Scope { get; } = scope == Scope.None ? Scope.Own : scope;

    public Principal Principal { get; } = principal;

    /// <summary>This cell's ids (a copy of the world's for the scope; a <c>prepare</c> may replace some).</summary>
    public Dictionary<string, Guid> Ids { get; } = new(world.Ids[scope == Scope.None ? Scope.Own : scope]);

    public Guid Id(string key) =>
        Ids.TryGetValue(key, out var id) ? id : throw new KeyNotFoundException($"The matrix world has no id '{key}' ({Scope}).");
}

/// <summary>Prepares that give a cell resources of its own, for operations whose allowed call changes them for good.</summary>
internal static class Fresh
{
    /// <summary>A new active household of the scope's team, registered (and so coached) by its coach.</summary>
    public static Task Household(MatrixCall c) => c.World.FreshHouseholdAsync(c);

    /// <summary>A new household of the scope's team in its closing phase (closed by its coach once).</summary>
    public static Task ClosingHousehold(MatrixCall c) => c.World.FreshClosingHouseholdAsync(c);

    /// <summary>A new household of the scope's team, closed (both closure steps by its coach).</summary>
    public static Task ClosedHousehold(MatrixCall c) => c.World.FreshClosedHouseholdAsync(c);

    /// <summary>A new request (version 1, status sent) of the scope's household to its organisation.</summary>
    public static Task Request(MatrixCall c) => c.World.FreshRequestAsync(c);

    /// <summary>A new organisation with one service (to rename, deactivate or give another service).</summary>
    public static async Task Organisation(MatrixCall c) =>
        c.Ids["organisations"] = (await c.World.Client("admin").PostJson("/api/v1/organisations", new
        {
            name = $"Matrixinstelling {c.World.Next()}", kind = "ggz",
            services = new[] { new { code = "ggz-intake", name = "Intake", responseDays = 5, urgentResponseDays = 1 } },
        }).ExpectAsync(HttpStatusCode.Created)).Id();

    /// <summary>A new team in the spare neighbourhood (to rename or give other neighbourhoods).</summary>
    public static async Task Team(MatrixCall c) =>
        c.Ids["teams"] = (await c.World.Client("admin").PostJson("/api/v1/teams",
            new { name = $"Matrixteam apart {c.World.Next()}", neighbourhoodIds = new[] { c.Id("spareNeighbourhood") } })
            .ExpectAsync(HttpStatusCode.Created)).Id();

    /// <summary>A new neighbourhood without a team (to rename or give other postal codes).</summary>
    public static async Task Neighbourhood(MatrixCall c)
    {
        var n = c.World.Next();
        c.Ids["neighbourhoods"] = (await c.World.Client("admin").PostJson("/api/v1/neighbourhoods",
            new { code = $"MX-APART-{n}", name = $"Aparte wijk {n}", municipality = "Leeuwarden", postalCodes = new[] { "8913" } })
            .ExpectAsync(HttpStatusCode.Created)).Id();
    }

    /// <summary>A new consent of the scope's household (to withdraw).</summary>
    public static Task Consent(MatrixCall c) => c.World.FreshAsync(c, "consentId", "consents", new
    {
        organisationId = c.Id("organisations"), purpose = MatrixWorld.ServiceCode(c.Scope), givenByMemberId = c.Id("memberId"),
        givenOn = c.World.Today.AddDays(-1), validUntil = c.World.Today.AddYears(1),
    });

    /// <summary>A new running involvement of the scope's household (to end).</summary>
    public static Task Involvement(MatrixCall c) => c.World.FreshAsync(c, "involvementId", "involvements",
        new { providerName = $"Fysiotherapie {c.World.Next()}", since = c.World.Today.AddDays(-10) });

    /// <summary>A new open goal in the scope's household's plan (to reach).</summary>
    public static Task Goal(MatrixCall c) => c.World.FreshAsync(c, "goalId", "plan/goals", new { domain = "huisvesting", description = "Een passende woning" });

    /// <summary>A new open action under the scope's goal (to complete).</summary>
    public static Task Action(MatrixCall c) => c.World.FreshAsync(c, "actionId", $"plan/goals/{c.Id("goalId")}/actions",
        new { description = "Bellen met de corporatie", owner = new { kind = "coach" }, dueOn = c.World.Today.AddDays(7) });
}
