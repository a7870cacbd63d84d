using System.Text.RegularExpressions;

namespace Frontlijn.Web.Features.Rights;

/// <summary>
/// Retention per the Selectielijst gemeenten en intergemeentelijke organen 2020, counted from the household's closure.
/// <list type="bullet">
/// <item><c>Retention:Years:&lt;domain&gt;</c>: years per service domain; defaults jeugd 20, wmo 15, schuldhulp 5,
/// default 15. A configured section adds to or overrides these per key.</item>
/// <item><c>Retention:Domains:&lt;organisation kind&gt;</c>: the domain of an organisation's kind where its name is not
/// already a domain (defaults: jeugdzorg and jeugdhulp → jeugd). A kind without an entry is its own domain, and a
/// domain without years gets <c>default</c>.</item>
/// <item><c>Retention:AccessLogYears</c> (5): the access log's own retention, counted from each row.</item>
/// <item><c>Retention:BatchSize</c> (200): households erased per transaction.</item>
/// </list>
/// The household's period is the longest among the domains of the organisations it had requests to or involvements
/// with (a household that never had one gets <c>default</c>): the longest obligation wins, as an archive does with a
/// file that serves several processes.
/// </summary>
public sealed partial class RetentionSettings
{
    public const string DefaultDomain = "default";

    public IReadOnlyDictionary<string, int> Years { get; }
    public IReadOnlyDictionary<string, string> Domains { get; }
    public int AccessLogYears { get; }
    public int BatchSize { get; }

    public RetentionSettings(IReadOnlyDictionary<string, int> years, IReadOnlyDictionary<string, string> domains, int accessLogYears,
        int batchSize)
    {
        Years = years;
        Domains = domains;
        AccessLogYears = accessLogYears;
        BatchSize = batchSize;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Code();

    public static RetentionSettings FromConfiguration(IConfiguration configuration)
    {
        var years = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["jeugd"] = 20, ["wmo"] = 15, ["schuldhulp"] = 5, [DefaultDomain] = 15,
        };
        foreach (var child in configuration.GetSection("Retention:Years").GetChildren())
        {
            if (!Code().IsMatch(child.Key) || !int.TryParse(child.Value, out var y) || y is < 1 or > 120)
            {
                throw new InvalidOperationException(
                    $"Retention:Years:{child.Key} must be a lower-case kebab domain with a whole number of years from 1 to 120.");
            }
            years[child.Key] = y;
        }
        var domains = new Dictionary<string, string>(StringComparer.Ordinal) { ["jeugdzorg"] = "jeugd", ["jeugdhulp"] = "jeugd" };
        foreach (var child in configuration.GetSection("Retention:Domains").GetChildren())
        {
            if (!Code().IsMatch(child.Key) || child.Value is null || !Code().IsMatch(child.Value))
            {
                throw new InvalidOperationException(
                    $"Retention:Domains:{child.Key} must map an organisation kind to a lower-case kebab domain.");
            }
            domains[child.Key] = child.Value;
        }
        var accessLogYears = configuration.GetValue("Retention:AccessLogYears", 5);
        if (accessLogYears is < 1 or > 120) throw new InvalidOperationException("Retention:AccessLogYears must be between 1 and 120.");
        var batchSize = configuration.GetValue("Retention:BatchSize", 200);
        if (batchSize is < 1 or > 1000) throw new InvalidOperationException("Retention:BatchSize must be between 1 and 1000.");
        return new RetentionSettings(years, domains, accessLogYears, batchSize);
    }

    /// <summary>The domain of an organisation kind (its mapping, else the kind itself).</summary>
    public string DomainOf(string kind) => Domains.TryGetValue(kind, out var domain) ? domain : kind;

    /// <summary>Years for a domain; a domain without its own entry keeps the default period.</summary>
    public int YearsOf(string domain) => Years.TryGetValue(domain, out var y) ? y : Years[DefaultDomain];

    /// <summary>The rule for a household: the longest period among its organisations' kinds, else the default.</summary>
    public (string Domain, int Years) RuleFor(IEnumerable<string> organisationKinds)
    {
        var rules = organisationKinds.Select(DomainOf).Distinct(StringComparer.Ordinal)
            .Select(d => (Domain: d, Years: YearsOf(d)))
            // Ties by name, so that the same household always gets the same recorded domain.
            .OrderByDescending(r => r.Years).ThenBy(r => r.Domain, StringComparer.Ordinal)
            .ToList();
        return rules.Count > 0 ? rules[0] : (DefaultDomain, YearsOf(DefaultDomain));
    }
}
