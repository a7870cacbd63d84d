using System.Text.RegularExpressions;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.UnitTests.Assessments;

/// <summary>The ZRM 2017 domain list and scale, as the SPEC names them, and the database's CHECK constraints in step.</summary>
public sealed partial class ZrmTests
{
    // Copied from the SPEC (Domain: Assessment), deliberately not from the code under test.
    private static readonly string[] SpecCodes =
    [
        "financien", "werk-opleiding", "tijdsbesteding", "huisvesting", "huiselijke-relaties", "geestelijke-gezondheid",
        "lichamelijke-gezondheid", "middelengebruik", "basale-adl", "instrumentele-adl", "sociaal-netwerk",
        "maatschappelijke-participatie", "justitie",
    ];

    [Fact]
    public void DomainCodes_AreTheThirteenOfTheSpec_InOrder() => Assert.Equal(SpecCodes, Zrm.DomainCodes);

    [Fact]
    public void ScaleLabels_AreOneToFive_InDutch()
    {
        Assert.Equal([1, 2, 3, 4, 5], Zrm.ScaleLabels.Keys.Order());
        Assert.Equal("acute problematiek", Zrm.ScaleLabels[1]);
        Assert.Equal("niet zelfredzaam", Zrm.ScaleLabels[2]);
        Assert.Equal("beperkt zelfredzaam", Zrm.ScaleLabels[3]);
        Assert.Equal("voldoende zelfredzaam", Zrm.ScaleLabels[4]);
        Assert.Equal("volledig zelfredzaam", Zrm.ScaleLabels[5]);
    }

    [Theory]
    [InlineData("financien", true)]
    [InlineData("justitie", true)]
    [InlineData("Financien", false)]
    [InlineData("financiën", false)]
    [InlineData("werk_opleiding", false)]
    [InlineData(" financien", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsDomain_IsAnExactCode(string? code, bool expected) => Assert.Equal(expected, Zrm.IsDomain(code));

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    [InlineData(-3, false)]
    public void IsScore_IsOneToFive(int score, bool expected) => Assert.Equal(expected, Zrm.IsScore(score));

    [Fact]
    public void Position_OrdersByTheMatrix_UnknownLast()
    {
        Assert.Equal(0, Zrm.Position("financien"));
        Assert.Equal(12, Zrm.Position("justitie"));
        Assert.Equal(int.MaxValue, Zrm.Position("onbekend"));
    }

    public static TheoryData<DatabaseProvider> AllProviders => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres, DatabaseProvider.SqlServer];

    /// <summary>plan_goals.domain and assessment_scores.domain refuse what the code refuses, on every database.</summary>
    [Theory, MemberData(nameof(AllProviders))]
    public void MigrationCheckConstraints_ListExactlyTheseCodes(DatabaseProvider provider)
    {
        var script = Migrator.Scripts(provider).Single(s => s.Name == "0004_outcomes.sql").Contents;
        var checks = DomainCheck().Matches(script).Select(m => m.Groups["list"].Value).ToList();
        Assert.Equal(2, checks.Count);
        foreach (var list in checks)
        {
            var codes = Regex.Matches(list, "'([^']*)'").Select(m => m.Groups[1].Value).ToArray();
            Assert.Equal(Zrm.DomainCodes, codes);
        }
    }

    [GeneratedRegex(@"domain\s+\w+(\(\d+\))?\s+NOT NULL CHECK \(domain IN \((?<list>[^)]*)\)\)", RegexOptions.IgnoreCase)]
    private static partial Regex DomainCheck();
}
