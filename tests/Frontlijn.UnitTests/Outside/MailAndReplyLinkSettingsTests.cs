using Frontlijn.UnitTests.Configuration;
using Frontlijn.Web.Features.Mail;
using Frontlijn.Web.Features.ReplyLinks;
using MailKit.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Frontlijn.UnitTests.Outside;

public sealed class MailAndReplyLinkSettingsTests
{
    [Fact]
    public void Nothing_Configured_SendsNoMail()
    {
        var settings = MailSettings.FromConfiguration(Config.From());
        Assert.False(settings.Enabled);
        Assert.Equal(60, settings.DigestMinutes);
        Assert.Equal(5, ReplyLinkSettings.FromConfiguration(Config.From()).DaysAfterDue);
    }

    [Theory]
    [InlineData("none", SecureSocketOptions.None, 25)]
    [InlineData("starttls", SecureSocketOptions.StartTls, 587)]
    [InlineData("TLS", SecureSocketOptions.SslOnConnect, 465)]
    [InlineData(null, SecureSocketOptions.StartTls, 587)]
    public void Security_ChoosesTheMode_AndItsUsualPort(string? security, SecureSocketOptions expected, int port)
    {
        var settings = MailSettings.FromConfiguration(Config.From(("Mail:Host", "smtp.example.nl"), ("Mail:Security", security)));
        Assert.True(settings.Enabled);
        Assert.Equal(expected, MailSender.SocketOptionsOf(settings.Security));
        Assert.Equal(port, settings.Port);
    }

    [Fact]
    public void AnUnknownSecurityMode_OrAZeroDigest_RefusesToStart()
    {
        Assert.Throws<InvalidOperationException>(() => MailSettings.FromConfiguration(Config.From(("Mail:Security", "ssl3"))));
        Assert.Throws<InvalidOperationException>(() => MailSettings.FromConfiguration(Config.From(("Mail:DigestMinutes", "0"))));
        Assert.Throws<InvalidOperationException>(() => ReplyLinkSettings.FromConfiguration(Config.From(("ReplyLinks:DaysAfterDue", "-1"))));
    }

    [Fact]
    public void Links_StartAtThePublicBaseUrl()
    {
        var settings = MailSettings.FromConfiguration(Config.From(("Api:PublicBaseUrl", "https://frontlijn.leeuwarden.nl/")));
        Assert.Equal("https://frontlijn.leeuwarden.nl/antwoord/abc", settings.Link("antwoord/abc").ToString());
    }

    [Theory]
    [InlineData("verzoeken@stichting.nl", true)]
    [InlineData("a.b-c@sub.example.org", true)]
    [InlineData("geen adres", false)]
    [InlineData("twee@@example.nl", false)]
    [InlineData("Naam <naam@example.nl>", false)]
    [InlineData("een@example.nl, twee@example.nl", false)]
    [InlineData("zonderpunt@localhost", false)]
    [InlineData("", false)]
    public void AFunctionalEmail_IsOnePlainAddress(string address, bool valid) => Assert.Equal(valid, FunctionalEmail.IsValid(address));

    [Fact]
    public void AToken_NamesItsLink_AndAnyChangeOrAnotherKeyRingMakesItWorthless()
    {
        var tokens = new ReplyLinkTokens(new EphemeralDataProtectionProvider());
        var linkId = Guid.NewGuid();
        var token = tokens.Issue(linkId);
        Assert.Equal(linkId, tokens.Read(token));
        Assert.NotEqual(token, tokens.Issue(linkId)); // random part: a resent mail has a new token
        for (var i = 0; i < token.Length; i += 7)
        {
            var changed = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.Null(tokens.Read(changed));
        }
        Assert.Null(tokens.Read(token[..^1]));
        Assert.Null(tokens.Read("!!!"));
        Assert.Null(tokens.Read(null));
        Assert.Null(new ReplyLinkTokens(new EphemeralDataProtectionProvider()).Read(token));
        Assert.True(ReplyLinkTokens.Matches(token, ReplyLinkTokens.Hash(token)));
        Assert.False(ReplyLinkTokens.Matches(token, ReplyLinkTokens.Hash(token + "x")));
        Assert.False(ReplyLinkTokens.Matches(token, null));
    }
}
