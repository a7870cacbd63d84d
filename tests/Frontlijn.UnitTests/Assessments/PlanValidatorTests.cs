using Frontlijn.UnitTests.Configuration;
using Frontlijn.UnitTests.Validation;
using Frontlijn.Web.Features.Plans;

namespace Frontlijn.UnitTests.Assessments;

/// <summary>The plan's goals use the same ZRM domain codes; actions have an owner and a due date; settings are bounded.</summary>
public sealed class PlanValidatorTests
{
    private static readonly FixedTime Now = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Goal_NeedsAZrmDomainAndADescription()
    {
        var validator = new AddPlanGoal.Validator();
        ValidationAssert.Valid(validator, new AddPlanGoal.Command(Guid.CreateVersion7(), "huisvesting", "Huurachterstand ingelopen"));
        ValidationAssert.FailsOn(validator, new AddPlanGoal.Command(Guid.CreateVersion7(), "wonen", " "), "domain", "description");
        ValidationAssert.FailsOn(validator, new AddPlanGoal.Command(Guid.CreateVersion7(), null, null), "domain", "description");
    }

    [Fact]
    public void Action_ByAnOrganisation_NamesIt_AndByTheCoach_DoesNot()
    {
        var validator = new AddPlanAction.Validator(Now);
        var due = new DateOnly(2026, 4, 1);
        AddPlanAction.Command Action(string? kind, Guid? organisationId, DateOnly? dueOn = null) =>
            new(Guid.CreateVersion7(), Guid.CreateVersion7(), "Afspraak bij schuldhulp", new AddPlanAction.OwnerInput(kind, organisationId), dueOn ?? due);

        ValidationAssert.Valid(validator, Action("coach", null));
        ValidationAssert.Valid(validator, Action("organisation", Guid.CreateVersion7()));
        ValidationAssert.FailsOn(validator, Action("organisation", null), "owner.organisationId");
        ValidationAssert.FailsOn(validator, Action("coach", Guid.CreateVersion7()), "owner.organisationId");
        ValidationAssert.FailsOn(validator, Action("gemeente", null), "owner.kind");
        ValidationAssert.FailsOn(validator, Action("coach", null, new DateOnly(2026, 3, 1)), "dueOn");
        ValidationAssert.Valid(validator, Action("coach", null, new DateOnly(2026, 3, 2)));
        ValidationAssert.FailsOn(validator, new AddPlanAction.Command(Guid.CreateVersion7(), Guid.CreateVersion7(), "", null, null),
            "description", "owner", "dueOn");
    }

    [Fact]
    public void GoalStatus_IsOpenAchievedOrDropped()
    {
        var validator = new ChangeGoalStatus.Validator();
        foreach (var status in new[] { "open", "achieved", "dropped" })
        {
            ValidationAssert.Valid(validator, new ChangeGoalStatus.Command(Guid.CreateVersion7(), Guid.CreateVersion7(), status));
        }
        ValidationAssert.FailsOn(validator, new ChangeGoalStatus.Command(Guid.CreateVersion7(), Guid.CreateVersion7(), "done"), "status");
    }

    [Fact]
    public void NextReview_IsAfterToday()
    {
        var validator = new ReviewFamilyPlan.Validator(Now);
        ValidationAssert.Valid(validator, new ReviewFamilyPlan.Command(Guid.CreateVersion7(), null));
        ValidationAssert.Valid(validator, new ReviewFamilyPlan.Command(Guid.CreateVersion7(), new DateOnly(2026, 3, 3)));
        ValidationAssert.FailsOn(validator, new ReviewFamilyPlan.Command(Guid.CreateVersion7(), new DateOnly(2026, 3, 2)), "nextReviewOn");
        ValidationAssert.FailsOn(validator, new ReviewFamilyPlan.Command(Guid.CreateVersion7(), new DateOnly(2028, 3, 3)), "nextReviewOn");
    }

    [Fact]
    public void Settings_DefaultToSixMonthsAndFourteenDays_AndRefuseNonsense()
    {
        Assert.Equal(new PlanSettings(6, 14), PlanSettings.FromConfiguration(Config.From()));
        Assert.Equal(new PlanSettings(3, 7), PlanSettings.FromConfiguration(
            Config.From(("Plans:ReviewIntervalMonths", "3"), ("Plans:ReviewReminderDays", "7"))));
        Assert.Throws<InvalidOperationException>(() => PlanSettings.FromConfiguration(Config.From(("Plans:ReviewIntervalMonths", "0"))));
        Assert.Throws<InvalidOperationException>(() => PlanSettings.FromConfiguration(Config.From(("Plans:ReviewReminderDays", "-1"))));
    }
}
