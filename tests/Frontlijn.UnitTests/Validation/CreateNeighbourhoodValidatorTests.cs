using Frontlijn.Web.Features.Admin.Neighbourhoods;

namespace Frontlijn.UnitTests.Validation;

public sealed class CreateNeighbourhoodValidatorTests
{
    private static readonly CreateNeighbourhood.Validator Validator = new();

    private static CreateNeighbourhood.Command Valid() => new("LW-HS", "Heechterp-Schieringen", "Leeuwarden", ["8924", "8925"]);

    [Fact]
    public void ValidNeighbourhood_Passes() => ValidationAssert.Valid(Validator, Valid());

    [Fact]
    public void NoPostalCodes_IsAnEmptyList_AndPasses() => ValidationAssert.Valid(Validator, Valid() with { PostalCodes = [] });

    [Theory]
    [InlineData("")]
    [InlineData("LW HS")]
    [InlineData("LW_HS")]
    [InlineData("wijk/1")]
    public void Code_MustBeLettersDigitsAndHyphens(string code) =>
        ValidationAssert.FailsOn(Validator, Valid() with { Code = code }, "code");

    [Fact]
    public void Code_IsAtMost50() =>
        ValidationAssert.FailsOn(Validator, Valid() with { Code = new string('A', 51) }, "code");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Name_IsRequired(string name) => ValidationAssert.FailsOn(Validator, Valid() with { Name = name }, "name");

    [Fact]
    public void Name_IsAtMost200() => ValidationAssert.FailsOn(Validator, Valid() with { Name = new string('x', 201) }, "name");

    [Fact]
    public void Municipality_IsRequired_AndAtMost200()
    {
        ValidationAssert.FailsOn(Validator, Valid() with { Municipality = "" }, "municipality");
        ValidationAssert.FailsOn(Validator, Valid() with { Municipality = new string('x', 201) }, "municipality");
    }

    [Fact]
    public void PostalCodes_AreRequired() => ValidationAssert.FailsOn(Validator, Valid() with { PostalCodes = null! }, "postalCodes");

    [Theory]
    [InlineData("0925")]
    [InlineData("892")]
    [InlineData("89255")]
    [InlineData("8925AB")]
    [InlineData("")]
    [InlineData(null)]
    public void PostalCode_IsAPc4Code(string? postalCode) =>
        ValidationAssert.FailsOn(Validator, Valid() with { PostalCodes = ["8924", postalCode!] }, "postalCodes[1]");

    [Fact]
    public void EveryInvalidField_IsReported_AtOnce() =>
        ValidationAssert.FailsOn(Validator, new CreateNeighbourhood.Command("", "", "", null!), "code", "name", "municipality", "postalCodes");
}
