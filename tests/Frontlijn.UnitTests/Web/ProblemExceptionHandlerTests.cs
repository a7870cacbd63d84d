using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.UnitTests.Web;

public sealed class ProblemExceptionHandlerTests
{
    [Theory]
    [InlineData("Services[0].Code", "services[0].code")]
    [InlineData("Name", "name")]
    [InlineData("WebhookUrl", "webhookUrl")]
    [InlineData("Address.PostalCode", "address.postalCode")]
    [InlineData("Members[12].DateOfBirth", "members[12].dateOfBirth")]
    [InlineData("services[0].code", "services[0].code")]
    [InlineData("", "")]
    public void CamelPath_LowersTheFirstLetterOfEverySegment(string propertyName, string expected) =>
        Assert.Equal(expected, ProblemExceptionHandler.CamelPath(propertyName));
}
