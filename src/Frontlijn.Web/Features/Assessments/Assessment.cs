namespace Frontlijn.Web.Features.Assessments;

/// <summary>
/// A ZRM assessment of one household member: per domain a score 1–5 (an object keyed by domain code, in the matrix's
/// order; domains not assessed are absent), in a phase (intake, evaluation, closure), by an assessor on a day.
/// The scores are a concrete <see cref="Dictionary{TKey,TValue}"/>: it keeps insertion order (the matrix's) when
/// serialised, and the OpenAPI checks recognise it as a map.
/// </summary>
public sealed record Assessment(
    Guid Id, Guid MemberId, string Phase, DateOnly AssessedOn, string InstrumentVersion, Assessor Assessor,
    Dictionary<string, int> Scores, DateTimeOffset CreatedAt);

public sealed record Assessor(Guid Id, string DisplayName);

/// <summary>The assessments of one member, newest first.</summary>
public sealed record MemberAssessments(Guid MemberId, IReadOnlyList<Assessment> Assessments);

/// <summary>Every member of the household in household order, each with their assessments (possibly none).</summary>
public sealed record HouseholdAssessments(Guid HouseholdId, IReadOnlyList<MemberAssessments> Members);

public static class AssessmentPhase
{
    public const string Intake = "intake";
    public const string Evaluation = "evaluation";
    public const string Closure = "closure";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Intake, Evaluation, Closure };
}

public static class AssessmentsEndpoints
{
    public static RouteGroupBuilder MapAssessments(this RouteGroupBuilder api)
    {
        RecordAssessment.Map(api);
        ListAssessments.Map(api);
        return api;
    }
}
