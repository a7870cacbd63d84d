using System.Collections.Frozen;

namespace Frontlijn.Web.Features.Assessments;

/// <summary>
/// The Zelfredzaamheid-Matrix (ZRM 2017): the 13 life domains by code, in the matrix's own order, and the five levels
/// of the scale. The single list of domain codes in the service: plan goals name a domain with the same codes, and the
/// migrations' CHECK constraints repeat them (a unit test keeps both in step).
/// Only codes, scores and the short level names: the criteria text per domain and level is GGD Amsterdam's copyright.
/// </summary>
public static class Zrm
{
    public const string DefaultInstrumentVersion = "ZRM 2017";

    public const int MinScore = 1;
    public const int MaxScore = 5;

    /// <summary>The 13 domain codes in the order of the matrix (and of every response that lists scores).</summary>
    public static readonly IReadOnlyList<string> DomainCodes =
    [
        "financien",
        "werk-opleiding",
        "tijdsbesteding",
        "huisvesting",
        "huiselijke-relaties",
        "geestelijke-gezondheid",
        "lichamelijke-gezondheid",
        "middelengebruik",
        "basale-adl",
        "instrumentele-adl",
        "sociaal-netwerk",
        "maatschappelijke-participatie",
        "justitie",
    ];

    /// <summary>The Dutch name of each level of the scale (1 is the most urgent, 5 fully self-sufficient).</summary>
    public static readonly IReadOnlyDictionary<int, string> ScaleLabels = new Dictionary<int, string>
    {
        [1] = "acute problematiek",
        [2] = "niet zelfredzaam",
        [3] = "beperkt zelfredzaam",
        [4] = "voldoende zelfredzaam",
        [5] = "volledig zelfredzaam",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, int> Positions =
        DomainCodes.Select((code, index) => (code, index)).ToFrozenDictionary(p => p.code, p => p.index, StringComparer.Ordinal);

    /// <summary>Codes are compared exactly (lower case, with hyphens), as they are stored.</summary>
    public static bool IsDomain(string? code) => code is not null && Positions.ContainsKey(code);

    public static bool IsScore(int score) => score is >= MinScore and <= MaxScore;

    /// <summary>The position of a code in the matrix, for ordering; unknown codes sort last.</summary>
    public static int Position(string code) => Positions.TryGetValue(code, out var position) ? position : int.MaxValue;

    public static readonly string DomainMessage = "Een ZRM-domein is een van: " + string.Join(", ", DomainCodes) + ".";

    public const string ScoreMessage =
        "Een ZRM-score is 1 (acute problematiek) tot en met 5 (volledig zelfredzaam).";
}
