namespace Frontlijn.Web.Features.Involvements;

/// <summary>
/// That an organisation (or a provider outside Frontlijn) and a professional are involved with a household, since
/// when, and until when — never why (Verwijsindex). <see cref="Source"/> is <c>request</c> when Frontlijn recorded it
/// because a back office handled a request, <c>manual</c> when the coach registered it.
/// </summary>
public sealed record Involvement(
    Guid Id,
    Guid? OrganisationId,
    string ProviderName,
    Guid? ProfessionalId,
    string? ProfessionalName,
    string Source,
    DateOnly Since,
    DateTimeOffset LastActivityAt,
    DateOnly? EndedOn,
    string? EndReason);

/// <summary><c>Involvements:Threshold</c> (concurrent organisations, default 5) and <c>Involvements:InactivityMonths</c> (6).</summary>
public sealed record InvolvementSettings(int Threshold, int InactivityMonths)
{
    public static InvolvementSettings FromConfiguration(IConfiguration configuration)
    {
        var settings = new InvolvementSettings(
            configuration.GetValue("Involvements:Threshold", 5),
            configuration.GetValue("Involvements:InactivityMonths", 6));
        if (settings.Threshold < 2 || settings.InactivityMonths < 1)
        {
            throw new InvalidOperationException("Involvements:Threshold must be at least 2 and Involvements:InactivityMonths at least 1.");
        }
        return settings;
    }
}

/// <summary>A provider outside Frontlijn counts once however it is capitalised or spaced.</summary>
internal static class ProviderKey
{
    public static string For(string providerName) =>
        string.Join(' ', providerName.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>
/// How many organisations and professionals are involved with a household now. Organisations in Frontlijn count by id,
/// providers outside it by their normalised name (each row has exactly one of the two); professionals by account or
/// by name. One definition for the register's counts and for the threshold alert.
/// </summary>
internal static class OpenInvolvementCounts
{
    internal const string Sql = """
        SELECT COUNT(DISTINCT organisation_id) + COUNT(DISTINCT provider_key) AS organisations,
               COUNT(DISTINCT professional_id) + COUNT(DISTINCT professional_name) AS professionals
        FROM involvements
        WHERE household_id = @householdId AND ended_at IS NULL
        """;

    internal sealed record Row
    {
        public int Organisations { get; init; }
        public int Professionals { get; init; }
    }
}
