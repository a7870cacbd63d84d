namespace Frontlijn.Web.Features.Requests;

/// <summary>A legal basis a coach may state instead of a consent: a code and the law it rests on.</summary>
public sealed record LegalBasis(string Code, string Law);

/// <summary>
/// The legal bases a request may name (<c>Requests:LegalBases</c>, code → law, e.g.
/// <c>Requests__LegalBases__wettelijke-taak-wmo="Wmo 2015 art. 5.2.1"</c>). A configured section replaces the defaults
/// whole, so an installation can also remove a basis its municipality does not use. A free-text basis would make
/// "shared without consent" unexplainable afterwards; a code with its law is what a privacy officer can check.
/// </summary>
public sealed class LegalBases
{
    public static readonly IReadOnlyList<LegalBasis> Defaults =
    [
        new("zwaarwegend-belang", "AVG art. 6(1)(d)/(e) / WGBO 7:457"),
        new("wettelijke-taak-jeugdwet", "Jeugdwet art. 7.4.0"),
        new("wettelijke-taak-wmo", "Wmo 2015 art. 5.2.1"),
        new("wettelijke-taak-participatiewet", "Participatiewet art. 7 (taak van het college)"),
        new("wettelijke-taak-wgs", "Wet gemeentelijke schuldhulpverlening art. 8a"),
    ];

    private readonly Dictionary<string, LegalBasis> _byCode;

    public LegalBases(IEnumerable<LegalBasis> bases)
    {
        All = bases.ToList();
        _byCode = All.ToDictionary(b => b.Code, StringComparer.Ordinal);
    }

    public IReadOnlyList<LegalBasis> All { get; }

    public bool IsKnown(string code) => _byCode.ContainsKey(code);

    public string? LawOf(string? code) => code is not null && _byCode.TryGetValue(code, out var b) ? b.Law : null;

    public string AllowedCodes => string.Join(", ", All.Select(b => b.Code));

    public static LegalBases FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Requests:LegalBases");
        var configured = section.GetChildren().Select(c => new LegalBasis(c.Key, c.Value ?? "")).ToList();
        if (configured.Count == 0) return new LegalBases(Defaults);
        foreach (var basis in configured)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(basis.Code, "^[a-z0-9]+(-[a-z0-9]+)*$") || basis.Code.Length > 100 ||
                string.IsNullOrWhiteSpace(basis.Law))
            {
                throw new InvalidOperationException(
                    $"Requests:LegalBases:{basis.Code} must be a lower-case kebab code (at most 100 characters) with the law as its value.");
            }
        }
        return new LegalBases(configured);
    }
}
