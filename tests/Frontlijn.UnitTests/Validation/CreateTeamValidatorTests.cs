using Frontlijn.Web.Features.Admin.Teams;

namespace Frontlijn.UnitTests.Validation;

public sealed class CreateTeamValidatorTests
{
    private static readonly CreateTeam.Validator Validator = new();

    private static CreateTeam.Command Valid() => new("Frontlijnteam Leeuwarden-Oost", [Guid.CreateVersion7(), Guid.CreateVersion7()]);

    [Fact]
    public void ValidTeam_Passes() => ValidationAssert.Valid(Validator, Valid());

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Name_IsRequired(string name) => ValidationAssert.FailsOn(Validator, Valid() with { Name = name }, "name");

    [Fact]
    public void Name_IsAtMost200() => ValidationAssert.FailsOn(Validator, Valid() with { Name = new string('x', 201) }, "name");

    [Fact]
    public void NeighbourhoodIds_NeedAtLeastOne()
    {
        ValidationAssert.FailsOn(Validator, Valid() with { NeighbourhoodIds = [] }, "neighbourhoodIds");
        ValidationAssert.FailsOn(Validator, Valid() with { NeighbourhoodIds = null! }, "neighbourhoodIds");
    }

    [Fact]
    public void NeighbourhoodId_IsNotTheEmptyGuid() =>
        ValidationAssert.FailsOn(Validator, Valid() with { NeighbourhoodIds = [Guid.CreateVersion7(), Guid.Empty] }, "neighbourhoodIds[1]");
}
