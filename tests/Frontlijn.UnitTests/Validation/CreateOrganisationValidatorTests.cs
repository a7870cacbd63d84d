using System.Net;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Webhooks;

namespace Frontlijn.UnitTests.Validation;

public sealed class CreateOrganisationValidatorTests
{
    // No allowed networks: the production default, public https only.
    private static readonly CreateOrganisation.Validator Validator = new(new WebhookAddressPolicy([]));

    // An on-premise receiver network and loopback allowed (Webhooks:AllowedNetworks).
    private static readonly CreateOrganisation.Validator OnPremise = new(new WebhookAddressPolicy(
        [IPNetwork.Parse("10.20.0.0/16"), IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]));

    private static string Secret(int bytes) => "whsec_" + Convert.ToBase64String(Enumerable.Range(0, bytes).Select(i => (byte)i).ToArray());

    private static CreateOrganisation.ServiceInput Service(string code = "schuldhulp-intake") => new(code, "Intake schuldhulp", 5, 1);

    private static CreateOrganisation.Command Valid() => new(
        "Schuldhulpverlening Leeuwarden", "schuldhulp", [Service(), Service("budgetbeheer")],
        "https://schuldhulp.example.nl/hooks/frontlijn", Secret(32));

    [Fact]
    public void ValidOrganisation_Passes() => ValidationAssert.Valid(Validator, Valid());

    [Fact]
    public void WithoutWebhook_AndWithoutServices_Passes() =>
        ValidationAssert.Valid(Validator, Valid() with { Services = [], WebhookUrl = null, WebhookSecret = null });

    [Fact]
    public void ServiceResponseTimes_AreOptional() =>
        ValidationAssert.Valid(Validator, Valid() with { Services = [new CreateOrganisation.ServiceInput("ggz-consult", "Consult", null, null)] });

    [Fact]
    public void Name_IsRequired_AndAtMost200()
    {
        ValidationAssert.FailsOn(Validator, Valid() with { Name = "" }, "name");
        ValidationAssert.FailsOn(Validator, Valid() with { Name = new string('x', 201) }, "name");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Schuldhulp")]
    [InlineData("werk en inkomen")]
    [InlineData("werk_en_inkomen")]
    public void Kind_IsALowerCaseCode(string kind) => ValidationAssert.FailsOn(Validator, Valid() with { Kind = kind }, "kind");

    [Fact]
    public void Services_AreRequired() => ValidationAssert.FailsOn(Validator, Valid() with { Services = null! }, "services");

    [Theory]
    [InlineData("")]
    [InlineData("Schuldhulp-Intake")]
    [InlineData("schuldhulp intake")]
    public void ServiceCode_IsKebabCase(string code) =>
        ValidationAssert.FailsOn(Validator, Valid() with { Services = [Service(), Service(code)] }, "services[1].code");

    [Fact]
    public void ServiceName_IsRequired() =>
        ValidationAssert.FailsOn(Validator, Valid() with { Services = [Service() with { Name = "" }] }, "services[0].name");

    [Fact]
    public void ResponseDays_AreAtMost60() =>
        ValidationAssert.FailsOn(Validator, Valid() with { Services = [Service() with { ResponseDays = 61, UrgentResponseDays = null }] },
            "services[0].responseDays");

    [Fact]
    public void ResponseDays_AreAtLeast1_AndThenTheUrgentDefaultIsTooLongToo() =>
        ValidationAssert.FailsOn(Validator, Valid() with { Services = [Service() with { ResponseDays = 0, UrgentResponseDays = null }] },
            "services[0].responseDays", "services[0].urgentResponseDays");

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void UrgentResponseDays_AreBetween1And60(int days) =>
        ValidationAssert.FailsOn(Validator, Valid() with { Services = [Service() with { ResponseDays = 60, UrgentResponseDays = days }] },
            "services[0].urgentResponseDays");

    [Fact]
    public void UrgentRequests_DoNotGetMoreTimeThanNormalOnes()
    {
        ValidationAssert.FailsOn(Validator, Valid() with { Services = [Service() with { ResponseDays = 3, UrgentResponseDays = 4 }] },
            "services[0].urgentResponseDays");
        // Defaults count: 5 working days, 1 when urgent.
        ValidationAssert.FailsOn(Validator, Valid() with { Services = [Service() with { ResponseDays = null, UrgentResponseDays = 6 }] },
            "services[0].urgentResponseDays");
        ValidationAssert.Valid(Validator, Valid() with { Services = [Service() with { ResponseDays = 2, UrgentResponseDays = 2 }] });
    }

    [Fact]
    public void ServiceCodes_AreUnique() =>
        ValidationAssert.FailsOn(Validator, Valid() with { Services = [Service(), Service()] }, "services");

    [Theory]
    [InlineData("https://ggz.example.nl/hooks")]
    [InlineData("https://93.184.215.14/hooks")]
    [InlineData("https://[2a00:1450:4001:82b::200e]/hooks")]
    public void WebhookUrl_IsHttps_ToAPublicAddress(string url) =>
        ValidationAssert.Valid(Validator, Valid() with { WebhookUrl = url });

    [Theory]
    [InlineData("http://ggz.example.nl/hooks")]
    [InlineData("http://localhost:8080/hooks")]
    [InlineData("https://localhost:8080/hooks")]
    [InlineData("https://api.localhost/hooks")]
    [InlineData("http://127.0.0.1/hooks")]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://[::1]:5000/hooks")]
    [InlineData("https://10.0.0.5/hooks")]
    [InlineData("https://172.16.4.1/hooks")]
    [InlineData("https://192.168.1.10/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://100.64.0.1/hooks")]
    [InlineData("https://[fd12:3456::1]/hooks")]
    [InlineData("https://[fe80::1]/hooks")]
    [InlineData("https://[::ffff:10.0.0.5]/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    [InlineData("https://224.0.0.1/hooks")]
    [InlineData("https://255.255.255.255/hooks")]
    [InlineData("https://2130706433/hooks")] // 127.0.0.1 as one number
    [InlineData("https://0x7f.1/hooks")] // 127.0.0.1 in hex shorthand
    [InlineData("https://intranet/hooks")]
    [InlineData("https://printer.local/hooks")]
    [InlineData("https://ggz.example.nl@10.0.0.5/hooks")]
    [InlineData("https://user:password@ggz.example.nl/hooks")]
    [InlineData("ftp://ggz.example.nl/hooks")]
    [InlineData("/hooks/frontlijn")]
    [InlineData("ggz.example.nl")]
    [InlineData("")]
    public void WebhookUrl_OtherwiseIsRefused(string url) =>
        ValidationAssert.FailsOn(Validator, Valid() with { WebhookUrl = url }, "webhookUrl");

    [Theory]
    [InlineData("http://10.20.3.4:8080/hooks")]
    [InlineData("https://10.20.3.4/hooks")]
    [InlineData("http://127.0.0.1:5000/hooks")]
    [InlineData("http://localhost:5000/hooks")]
    [InlineData("https://ontvanger.gemeente.intern/hooks")]
    public void WebhookUrl_IntoAnAllowedNetwork_MayBeHttp(string url) =>
        ValidationAssert.Valid(OnPremise, Valid() with { WebhookUrl = url });

    [Theory]
    [InlineData("http://10.21.0.1/hooks")]
    [InlineData("https://192.168.1.10/hooks")]
    [InlineData("https://169.254.169.254/hooks")]
    public void WebhookUrl_OutsideTheAllowedNetworks_IsStillRefused(string url) =>
        ValidationAssert.FailsOn(OnPremise, Valid() with { WebhookUrl = url }, "webhookUrl");

    [Fact]
    public void WebhookUrl_IsAtMost2000() =>
        ValidationAssert.FailsOn(Validator, Valid() with { WebhookUrl = "https://ggz.example.nl/" + new string('a', 2000) }, "webhookUrl");

    [Fact]
    public void Webhook_NeedsASecret() =>
        ValidationAssert.FailsOn(Validator, Valid() with { WebhookSecret = null }, "webhookSecret");

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(64)]
    public void WebhookSecret_IsWhsecWith24To64Base64Bytes(int bytes) =>
        ValidationAssert.Valid(Validator, Valid() with { WebhookSecret = Secret(bytes) });

    [Theory]
    [InlineData(23)]
    [InlineData(65)]
    public void WebhookSecret_OfTheWrongLength_IsRefused(int bytes) =>
        ValidationAssert.FailsOn(Validator, Valid() with { WebhookSecret = Secret(bytes) }, "webhookSecret");

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64 at all!!")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")] // 32 bytes, but no whsec_ prefix
    [InlineData("WHSEC_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")]
    public void WebhookSecret_NotInStandardWebhooksForm_IsRefused(string secret) =>
        ValidationAssert.FailsOn(Validator, Valid() with { WebhookSecret = secret }, "webhookSecret");

    [Fact]
    public void EveryInvalidField_IsReported_AtOnce() =>
        ValidationAssert.FailsOn(Validator, new CreateOrganisation.Command("", "Not A Code", [new("", "", 0, null)], "ftp://x", null),
            "name", "kind", "services[0].code", "services[0].name", "services[0].responseDays",
            "services[0].urgentResponseDays", "webhookUrl", "webhookSecret");
}
