using System.Net;
using System.Security.Cryptography;
using System.Text;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Outside;

/// <summary>
/// SPEC "Outside the building": an organisation without accounts receives each request as a mail with a signed,
/// single-use link; the link answers the request through the back office's life cycle, and the coach hears it live.
/// The mail is read from a real SMTP server on loopback.
/// </summary>
[Collection(OutsideGroup.Name)]
public sealed class ReplyLinkTests(OutsideApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheMailedLink_AnswersTheRequest_AndTheCoachHearsItLive_AndASecondUseIsRefused(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await OutsideWorld.CreateAsync(app);
        await using var coach = await NotificationListener.ConnectAsync(app, w.S.Coach);

        var requestId = await w.SendAsync();
        var mail = (await apps.Smtp.WaitForAsync(OutsideWorld.FoundationEmail)).Single();
        Assert.Equal(SmtpTestServer.MailUser, mail.User); // Mail:Username/Password were used (SMTP AUTH)
        Assert.Equal("noreply@frontlijn.test", mail.From);
        // No household data in the mail: no name, no BSN, not the question.
        Assert.DoesNotContain(OutsideWorld.FamilyName, mail.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Builders.Bsn1, mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("administratie", mail.Text, StringComparison.OrdinalIgnoreCase);
        var token = OutsideWorld.TokenIn(mail);

        // Only a hash of the token is stored.
        var storedHash = await app.ScalarAsync<string>("SELECT token_hash FROM reply_links");
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))), storedHash);
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM reply_links WHERE token_hash = @token", new { token }));

        var link = await w.Coach.GetAsync($"/api/v1/requests/{requestId}/reply-link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("sent", link["state"]!.GetValue<string>());
        Assert.Equal(OutsideWorld.FoundationEmail, link["email"]!.GetValue<string>());

        // Following the link: the Dutch page shows the question, without an account.
        using (var page = await w.Anonymous.GetAsync($"/antwoord/{token}"))
        {
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(OutsideWorld.Question), html, StringComparison.Ordinal);
            Assert.Contains("Stichting Schuldenmaatje", html, StringComparison.Ordinal);
        }
        link = await w.Coach.GetAsync($"/api/v1/requests/{requestId}/reply-link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("opened", link["state"]!.GetValue<string>());
        Assert.NotNull(link["firstOpenedAt"]);

        // Acknowledge keeps the link usable; the answer spends it.
        var acknowledged = await w.ReplyAsync(token, "acknowledged").ExpectAsync(HttpStatusCode.OK);
        Assert.True(acknowledged["linkUsable"]!.GetValue<bool>());
        await coach.NextAsync("nl.frontlijn.request.acknowledged");
        var answered = await w.ReplyAsync(token, "answered", answer: "Vanaf volgende week helpt vrijwilliger Joke.").ExpectAsync(HttpStatusCode.OK);
        Assert.False(answered["linkUsable"]!.GetValue<bool>());
        var live = await coach.NextAsync("nl.frontlijn.request.answered");
        Assert.Equal(requestId.ToString(), live.GetProperty("requestId").GetString());

        var request = await w.Coach.GetAsync($"/api/v1/requests/{requestId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("answered", request["status"]!.GetValue<string>());
        Assert.Equal("Vanaf volgende week helpt vrijwilliger Joke.", request["answer"]!.GetValue<string>());
        Assert.Equal(3, request["version"]!.GetValue<int>());
        // The same history as a back office's change, with no user as the one who changed it.
        var history = await w.Coach.GetAsync($"/api/v1/requests/{requestId}/status-changes").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("answered", history.ToJsonString(), StringComparison.Ordinal);

        // A second use is refused (410) and changes nothing, through the API and on the page.
        await w.ReplyAsync(token, "declined", reasonCode: "geen-capaciteit").ExpectAsync(HttpStatusCode.Gone);
        using (var again = await w.Anonymous.GetAsync($"/antwoord/{token}"))
        {
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
            Assert.Contains("al gebruikt", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(("answered", 3), await w.RequestStateAsync(requestId));
        link = await w.Coach.GetAsync($"/api/v1/requests/{requestId}/reply-link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("spent", link["state"]!.GetValue<string>());

        // Every use is in the access log with the organisation as actor: the page read, two changes, refused uses.
        Assert.True(await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE actor_organisation_id = @org AND actor_id IS NULL AND result = 'success'",
            new { org = w.FoundationId }) >= 3);
        Assert.True(await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE actor_organisation_id = @org AND result = 'denied'", new { org = w.FoundationId }) >= 2);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ATamperedLink_IsRefused_AndChangesNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await OutsideWorld.CreateAsync(app);
        var requestId = await w.SendAsync();
        var token = OutsideWorld.TokenIn((await apps.Smtp.WaitForAsync(OutsideWorld.FoundationEmail)).Single());

        // One character changed, somewhere in the middle (the signature no longer matches).
        var i = token.Length / 2;
        var tampered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
        var problem = await w.ReplyAsync(tampered, "acknowledged").ExpectAsync(HttpStatusCode.NotFound);
        Assert.Contains("ongeldig", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await w.ReplyAsync("geen-echte-token", "acknowledged").ExpectAsync(HttpStatusCode.NotFound);
        using (var page = await w.Anonymous.GetAsync($"/antwoord/{tampered}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Contains("Deze antwoordlink is ongeldig", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(("sent", 1), await w.RequestStateAsync(requestId));
        var link = await w.Coach.GetAsync($"/api/v1/requests/{requestId}/reply-link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("sent", link["state"]!.GetValue<string>()); // not even "opened"
        Assert.Equal(0, link["useCount"]!.GetValue<int>());

        // Bad input is a 400 that names the field, and changes nothing either.
        var invalid = await w.ReplyAsync(token, "answered").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(invalid["errors"]);
        await w.ReplyAsync(token, "withdrawn").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(("sent", 1), await w.RequestStateAsync(requestId));

        // The genuine token still works.
        await w.ReplyAsync(token, "acknowledged").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("acknowledged", 2), await w.RequestStateAsync(requestId));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ARevokedOrExpiredLink_IsRefused_AndChangesNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await OutsideWorld.CreateAsync(app);
        var revokedRequest = await w.SendAsync();
        var expiringRequest = await w.SendAsync();
        var mails = await apps.Smtp.WaitForAsync(OutsideWorld.FoundationEmail, count: 2);
        var tokens = mails.OrderBy(m => m.Id).Select(OutsideWorld.TokenIn).ToList();
        // Which token belongs to which request: the reply-link records are in sending order, as the mails.
        var revokedToken = tokens[0];
        var expiringToken = tokens[1];

        // A colleague of the team may not revoke (not the household's coach); the team lead and the coach may.
        await app.ClientFor(w.S.SecondCoach).DeleteAsync($"/api/v1/requests/{revokedRequest}/reply-link").ExpectAsync(HttpStatusCode.Forbidden);
        var revoked = await w.Coach.DeleteAsync($"/api/v1/requests/{revokedRequest}/reply-link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("revoked", revoked["state"]!.GetValue<string>());
        await w.Coach.DeleteAsync($"/api/v1/requests/{revokedRequest}/reply-link").ExpectAsync(HttpStatusCode.Conflict);
        var refused = await w.ReplyAsync(revokedToken, "acknowledged").ExpectAsync(HttpStatusCode.Gone);
        Assert.Contains("ingetrokken", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("sent", 1), await w.RequestStateAsync(revokedRequest));

        // Expired: ReplyLinks:DaysAfterDue (5) days after the due date.
        var dueAt = DateTimeOffset.Parse((await w.Coach.GetAsync($"/api/v1/requests/{expiringRequest}").ExpectAsync(HttpStatusCode.OK))["dueAt"]!
            .GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        app.Clock.SetUtcNow(dueAt.AddDays(5).AddMinutes(-1));
        await w.ReplyAsync(expiringToken, "acknowledged").ExpectAsync(HttpStatusCode.OK); // still valid a minute before
        app.Clock.SetUtcNow(dueAt.AddDays(5).AddMinutes(1));
        var expired = await w.ReplyAsync(expiringToken, "answered", answer: "Te laat").ExpectAsync(HttpStatusCode.Gone);
        Assert.Contains("verlopen", expired["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("acknowledged", 2), await w.RequestStateAsync(expiringRequest));
        var link = await w.Coach.GetAsync($"/api/v1/requests/{expiringRequest}/reply-link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("expired", link["state"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AnOrganisationWithAccounts_GetsNoMail_AndReplyByLinkNeedsAnAddress(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await OutsideWorld.CreateAsync(app);
        var admin = app.ClientFor("admin");
        // replyByLink without functionalEmail is refused at creation and by PATCH.
        var problem = await admin.PostJson("/api/v1/organisations", new
        {
            name = "Huisartsenpraktijk Noord", kind = "huisarts", services = Array.Empty<object>(), replyByLink = true,
        }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["functionalEmail"]);
        await admin.PostJson("/api/v1/organisations", new
        {
            name = "Huisartsenpraktijk Noord", kind = "huisarts", services = Array.Empty<object>(), functionalEmail = "geen adres",
        }).ExpectAsync(HttpStatusCode.BadRequest);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/organisations/{w.S.OrganisationId}")
        {
            Content = new StringContent("""{"replyByLink": true}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        await admin.SendAsync(patch).ExpectAsync(HttpStatusCode.BadRequest);
        var organisation = await admin.GetAsync($"/api/v1/organisations/{w.FoundationId}").ExpectAsync(HttpStatusCode.OK);
        Assert.True(organisation["replyByLink"]!.GetValue<bool>());
        Assert.Equal(OutsideWorld.FoundationEmail, organisation["functionalEmail"]!.GetValue<string>());

        // A request to an organisation with accounts: no link, no mail.
        var coach = w.Coach;
        var requestId = (await coach.PostJson("/api/v1/requests", new
        {
            householdId = w.HouseholdId, organisationId = w.S.OrganisationId, serviceCode = "schuldhulp-intake", question = "Intake?",
            urgency = "normal", legalBasis = "zwaarwegend-belang",
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        await coach.GetAsync($"/api/v1/requests/{requestId}/reply-link").ExpectAsync(HttpStatusCode.NotFound);
        await Task.Delay(500);
        Assert.Empty(await apps.Smtp.MailsAsync());
    }
}
