using Frontlijn.UnitTests.Validation;
using Frontlijn.Web.Features.Assessments;

namespace Frontlijn.UnitTests.Assessments;

public sealed class RecordAssessmentValidatorTests
{
    // 2026-03-02 12:00 UTC is 13:00 in Amsterdam: "today" is 2 March either way.
    private static readonly FixedTime Now = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
    private static readonly RecordAssessment.Validator Validator = new(Now);

    private static RecordAssessment.Command Valid() => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), "intake", new DateOnly(2026, 3, 2), null,
        new Dictionary<string, int> { ["financien"] = 2, ["huisvesting"] = 3, ["justitie"] = 5 });

    [Fact]
    public void ValidAssessment_Passes() => ValidationAssert.Valid(Validator, Valid());

    [Fact]
    public void AllThirteenDomains_Pass() =>
        ValidationAssert.Valid(Validator, Valid() with { Scores = Zrm.DomainCodes.ToDictionary(c => c, _ => 1) });

    [Fact]
    public void NothingGiven_FailsOnEveryRequiredField() =>
        ValidationAssert.FailsOn(Validator, new RecordAssessment.Command(Guid.CreateVersion7(), null, null, null, null, null),
            "memberId", "phase", "assessedOn", "scores");

    [Fact]
    public void EmptyScores_Fail() =>
        ValidationAssert.FailsOn(Validator, Valid() with { Scores = new Dictionary<string, int>() }, "scores");

    [Theory]
    [InlineData("Financien")]
    [InlineData("geld")]
    [InlineData("financien ")]
    public void UnknownDomainCode_FailsOnScores(string code) =>
        ValidationAssert.FailsOn(Validator, Valid() with { Scores = new Dictionary<string, int> { [code] = 3 } }, "scores");

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void ScoreOutsideOneToFive_FailsOnThatDomain(int score) =>
        ValidationAssert.FailsOn(Validator, Valid() with { Scores = new Dictionary<string, int> { ["financien"] = 3, ["basale-adl"] = score } },
            "scores.basale-adl");

    [Theory]
    [InlineData("screening")]
    [InlineData("Intake")]
    [InlineData("")]
    public void Phase_IsIntakeEvaluationOrClosure(string phase) =>
        ValidationAssert.FailsOn(Validator, Valid() with { Phase = phase }, "phase");

    [Fact]
    public void AssessedOn_IsNotInTheFuture()
    {
        ValidationAssert.FailsOn(Validator, Valid() with { AssessedOn = new DateOnly(2026, 3, 3) }, "assessedOn");
        ValidationAssert.FailsOn(Validator, Valid() with { AssessedOn = new DateOnly(1999, 12, 31) }, "assessedOn");
        ValidationAssert.Valid(Validator, Valid() with { AssessedOn = new DateOnly(2025, 11, 20) });
    }

    [Fact]
    public void InstrumentVersion_IsOptional_ButNotBlankOrLong()
    {
        ValidationAssert.Valid(Validator, Valid() with { InstrumentVersion = "ZRM 2017" });
        ValidationAssert.FailsOn(Validator, Valid() with { InstrumentVersion = " " }, "instrumentVersion");
        ValidationAssert.FailsOn(Validator, Valid() with { InstrumentVersion = new string('x', 51) }, "instrumentVersion");
    }

    [Fact]
    public void MemberId_IsNotTheEmptyGuid() =>
        ValidationAssert.FailsOn(Validator, Valid() with { MemberId = Guid.Empty }, "memberId");
}

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
