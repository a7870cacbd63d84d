using Frontlijn.Web.Features.Admin.Organisations;

namespace Frontlijn.UnitTests.Validation;

public sealed class CreateOrganisationValidatorTests
{
    private static readonly CreateOrganisation.Validator Validator = new();

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
    [InlineData("http://localhost:8080/hooks")]
    [InlineData("http://127.0.0.1/hooks")]
    [InlineData("http://[::1]:5000/hooks")]
    public void WebhookUrl_IsHttps_OrHttpOnLoopback(string url) =>
        ValidationAssert.Valid(Validator, Valid() with { WebhookUrl = url });

    [Theory]
    [InlineData("http://ggz.example.nl/hooks")]
    [InlineData("http://10.0.0.5/hooks")]
    [InlineData("ftp://ggz.example.nl/hooks")]
    [InlineData("/hooks/frontlijn")]
    [InlineData("ggz.example.nl")]
    [InlineData("")]
    public void WebhookUrl_OtherwiseIsRefused(string url) =>
        ValidationAssert.FailsOn(Validator, Valid() with { WebhookUrl = url }, "webhookUrl");

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
