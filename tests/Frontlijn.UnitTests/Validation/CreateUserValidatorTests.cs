using Frontlijn.Web.Features.Admin.Users;

namespace Frontlijn.UnitTests.Validation;

public sealed class CreateUserValidatorTests
{
    private static readonly CreateUser.Validator Validator = new();
    private static readonly Guid Team = Guid.CreateVersion7();
    private static readonly Guid Organisation = Guid.CreateVersion7();

    private static CreateUser.Command Coach() => new("coach.anna", "Anna de Vries", "coach", Team, null, 20);

    [Fact]
    public void Coach_WithTeamAndCaseload_Passes() => ValidationAssert.Valid(Validator, Coach());

    [Fact]
    public void Coach_WithoutCaseload_Passes() => ValidationAssert.Valid(Validator, Coach() with { MaxCaseload = null });

    [Fact]
    public void TeamLead_WithTeam_Passes() =>
        ValidationAssert.Valid(Validator, new CreateUser.Command("lead.sanne", "Sanne Visser", "team-lead", Team, null, null));

    [Fact]
    public void BackOffice_WithOrganisation_Passes() =>
        ValidationAssert.Valid(Validator, new CreateUser.Command("schuldhulp.pieter", "Pieter Bakker", "back-office", null, Organisation, null));

    [Fact]
    public void Admin_WithNeitherTeamNorOrganisation_Passes() =>
        ValidationAssert.Valid(Validator, new CreateUser.Command("beheer_1", "Beheerder", "admin", null, null, null));

    [Theory]
    [InlineData("")]
    [InlineData("Coach.Anna")]
    [InlineData("coach anna")]
    [InlineData(".coach")]
    [InlineData("coach@anna")]
    public void Username_IsLowerCaseLettersDigitsDotHyphenUnderscore(string username) =>
        ValidationAssert.FailsOn(Validator, Coach() with { Username = username }, "username");

    [Fact]
    public void Username_IsAtMost100() =>
        ValidationAssert.FailsOn(Validator, Coach() with { Username = new string('a', 101) }, "username");

    [Fact]
    public void DisplayName_IsRequired_AndAtMost200()
    {
        ValidationAssert.FailsOn(Validator, Coach() with { DisplayName = "" }, "displayName");
        ValidationAssert.FailsOn(Validator, Coach() with { DisplayName = new string('x', 201) }, "displayName");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Coach")]
    [InlineData("superuser")]
    [InlineData("backoffice")]
    public void Role_IsOneOfTheFour(string role) =>
        ValidationAssert.FailsOn(Validator, new CreateUser.Command("x", "x", role, null, null, null), "role");

    [Theory]
    [InlineData("coach")]
    [InlineData("team-lead")]
    public void CoachesAndTeamLeads_BelongToATeam(string role) =>
        ValidationAssert.FailsOn(Validator, new CreateUser.Command("x", "x", role, null, null, null), "teamId");

    [Theory]
    [InlineData("back-office")]
    [InlineData("admin")]
    public void OthersDoNotBelongToATeam(string role) =>
        ValidationAssert.FailsOn(Validator,
            new CreateUser.Command("x", "x", role, Team, role == "back-office" ? Organisation : null, null), "teamId");

    [Fact]
    public void BackOffice_BelongsToAnOrganisation() =>
        ValidationAssert.FailsOn(Validator, new CreateUser.Command("x", "x", "back-office", null, null, null), "organisationId");

    [Theory]
    [InlineData("coach")]
    [InlineData("team-lead")]
    [InlineData("admin")]
    public void OnlyBackOffice_BelongsToAnOrganisation(string role) =>
        ValidationAssert.FailsOn(Validator,
            new CreateUser.Command("x", "x", role, role == "admin" ? null : Team, Organisation, null), "organisationId");

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    [InlineData(-5)]
    public void MaxCaseload_IsBetween1And200(int max) =>
        ValidationAssert.FailsOn(Validator, Coach() with { MaxCaseload = max }, "maxCaseload");

    [Theory]
    [InlineData("team-lead")]
    [InlineData("admin")]
    public void MaxCaseload_IsForCoachesOnly(string role) =>
        ValidationAssert.FailsOn(Validator, new CreateUser.Command("x", "x", role, role == "admin" ? null : Team, null, 10), "maxCaseload");
}
