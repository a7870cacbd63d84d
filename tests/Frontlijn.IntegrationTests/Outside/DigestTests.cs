using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Outside;

/// <summary>
/// SPEC: a user who has not read a notification within Mail:DigestMinutes (60) gets one e-mail saying how many are
/// waiting, with a link — never a name, a BSN or case text. Once per digest, also with two runs at the same moment.
/// </summary>
[Collection(OutsideGroup.Name)]
public sealed class DigestTests(OutsideApps apps)
{
    private static async Task<int> RunDigestAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationDigest>().RunAsync(CancellationToken.None);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AnUnreadNotification_BringsOneDigest_WithACountAndALink_AndNothingPersonal(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await OutsideWorld.CreateAsync(app);
        var admin = app.ClientFor("admin");
        const string coachMail = "anna@wijkteam.test";
        await admin.PutJson($"/api/v1/users/{w.S.CoachId}/email", new { email = coachMail }).ExpectAsync(HttpStatusCode.OK);
        await admin.PutJson($"/api/v1/users/{w.S.CoachId}/email", new { email = "geen adres" }).ExpectAsync(HttpStatusCode.BadRequest);

        // Two notifications for the coach: the foundation acknowledges and answers through its link.
        await w.SendAsync();
        var token = OutsideWorld.TokenIn((await apps.Smtp.WaitForAsync(OutsideWorld.FoundationEmail)).Single());
        await w.ReplyAsync(token, "acknowledged").ExpectAsync(HttpStatusCode.OK);
        await w.ReplyAsync(token, "answered", answer: "Maatje Joke start maandag bij familie Hoekstra.").ExpectAsync(HttpStatusCode.OK);
        var inbox = await w.Coach.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        var unread = inbox["items"]!.AsArray().Count(n => n!["readAt"] is null);
        Assert.Equal(2, unread);

        // Not yet: the notifications are younger than Mail:DigestMinutes.
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await RunDigestAsync(app));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        // Two nodes at the same moment: one digest.
        var runs = await Task.WhenAll(RunDigestAsync(app), RunDigestAsync(app));
        Assert.Equal(1, runs.Sum());
        var digest = (await apps.Smtp.WaitForAsync(coachMail)).Single();
        Assert.Contains("2 ongelezen meldingen", digest.Subject + digest.Text, StringComparison.Ordinal);
        Assert.Contains(SmtpTestServer.PublicBaseUrl + "/", digest.Text, StringComparison.Ordinal);
        foreach (var secret in new[] { OutsideWorld.FamilyName, "Sandra", Builders.Bsn1, "Joke", "Koppeling aan een maatje", "administratie" })
        {
            Assert.DoesNotContain(secret, digest.Subject + digest.Text, StringComparison.OrdinalIgnoreCase);
        }

        // The same digest is never sent twice.
        app.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, await RunDigestAsync(app));
        Assert.Single(await apps.Smtp.WaitForAsync(coachMail));

        // A new unread notification brings a new digest, once it has waited long enough, counting every unread one.
        var second = await w.SendAsync();
        var secondToken = OutsideWorld.TokenIn((await apps.Smtp.WaitForAsync(OutsideWorld.FoundationEmail, count: 2)).OrderBy(m => m.Id).Last());
        await w.ReplyAsync(secondToken, "acknowledged").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, await RunDigestAsync(app));
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(1, await RunDigestAsync(app));
        var digests = await apps.Smtp.WaitForAsync(coachMail, count: 2);
        Assert.Contains("3 ongelezen meldingen", digests.OrderBy(m => m.Id).Last().Subject, StringComparison.Ordinal);

        // A withdrawn request's link no longer works.
        await w.Coach.PostJson($"/api/v1/requests/{second}/status-changes",
            new { status = "withdrawn", note = "Dubbel verstuurd", expectedVersion = 2 }).ExpectAsync(HttpStatusCode.Created);
        await w.ReplyAsync(secondToken, "answered", answer: "Toch nog").ExpectAsync(HttpStatusCode.Gone);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ReadNotifications_BringNoDigest(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await OutsideWorld.CreateAsync(app);
        await app.ClientFor("admin").PutJson($"/api/v1/users/{w.S.CoachId}/email", new { email = "anna@wijkteam.test" })
            .ExpectAsync(HttpStatusCode.OK);
        await w.SendAsync();
        var token = OutsideWorld.TokenIn((await apps.Smtp.WaitForAsync(OutsideWorld.FoundationEmail)).Single());
        await w.ReplyAsync(token, "acknowledged").ExpectAsync(HttpStatusCode.OK);
        var inbox = await w.Coach.GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        foreach (var n in inbox["items"]!.AsArray())
        {
            await w.Coach.PostJson($"/api/v1/notifications/{n!.Id()}/read", new { }).ExpectAsync(HttpStatusCode.NoContent);
        }
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(0, await RunDigestAsync(app));
    }

    /// <summary>
    /// The organisation feed (migration 0027) in the digest: a back-office user's unread = the organisation's rows since
    /// they joined, minus the ones THEY marked read (a colleague's mark is the colleague's). The expected counts are
    /// computed here from what the test sent and marked, not with the digest's SQL.
    /// </summary>
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ABackOfficeUsersDigest_CountsTheOrganisationsRows_MinusTheirOwnReadMarks_SinceTheyJoined(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await OutsideWorld.CreateAsync(app);
        var admin = app.ClientFor("admin");
        async Task<Guid> BackOfficeAsync(string username)
        {
            var id = (await admin.PostJson("/api/v1/users", new
            {
                username, displayName = username, role = "back-office", organisationId = w.FoundationId,
            }).ExpectAsync(HttpStatusCode.Created)).Id();
            await admin.PutJson($"/api/v1/users/{id}/email", new { email = $"{username}@schuldenmaatje.test" }).ExpectAsync(HttpStatusCode.OK);
            return id;
        }
        async Task MarkReadAsync(string username, Guid request)
        {
            var inbox = await app.ClientFor(username).GetAsync("/api/v1/notifications?limit=200").ExpectAsync(HttpStatusCode.OK);
            var notification = inbox["items"]!.AsArray().Single(n => n!["requestId"]?.GetValue<string>() == request.ToString());
            await app.ClientFor(username).PostJson($"/api/v1/notifications/{notification!.Id()}/read", new { }).ExpectAsync(HttpStatusCode.NoContent);
        }

        await BackOfficeAsync("digest.ilse");
        await BackOfficeAsync("digest.joost");
        var sent = new List<Guid>();
        for (var i = 0; i < 3; i++) sent.Add(await w.SendAsync());
        // Ilse marks the second; Joost the first and the third (his marks must not hide them from Ilse).
        var read = new Dictionary<string, Guid[]> { ["digest.ilse"] = [sent[1]], ["digest.joost"] = [sent[0], sent[2]], ["digest.late"] = [] };
        foreach (var (username, requests) in read)
        {
            foreach (var request in requests) await MarkReadAsync(username, request);
        }
        // A colleague who joins now: only what is sent from now on is theirs.
        await BackOfficeAsync("digest.late");
        sent.Add(await w.SendAsync());
        var visible = new Dictionary<string, Guid[]>
        {
            ["digest.ilse"] = [.. sent], ["digest.joost"] = [.. sent], ["digest.late"] = [sent[3]],
        };
        var expected = visible.ToDictionary(v => v.Key, v => v.Value.Except(read[v.Key]).Count());
        Assert.Equal(new Dictionary<string, int> { ["digest.ilse"] = 3, ["digest.joost"] = 2, ["digest.late"] = 1 }, expected);

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        // One digest per user with an address and something unread (the coach has no address).
        Assert.Equal(3, await RunDigestAsync(app));
        foreach (var (username, count) in expected)
        {
            var digest = (await apps.Smtp.WaitForAsync($"{username}@schuldenmaatje.test")).Single();
            var text = count == 1 ? "1 ongelezen melding" : $"{count} ongelezen meldingen";
            Assert.Contains(text, digest.Subject, StringComparison.Ordinal);
            foreach (var secret in new[] { Builders.Bsn1, OutsideWorld.FamilyName, "Koppeling aan een maatje", "administratie" })
            {
                Assert.DoesNotContain(secret, digest.Subject + digest.Text, StringComparison.OrdinalIgnoreCase);
            }
        }
        Assert.Equal(0, await RunDigestAsync(app));
    }
}
