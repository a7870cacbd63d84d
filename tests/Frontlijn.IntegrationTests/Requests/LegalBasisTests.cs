using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Requests;

/// <summary>A request's legalBasis is one of the configured codes (Requests:LegalBases), never free text.</summary>
[Collection(IntegrationGroup.Name)]
public sealed class LegalBasisTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AnUnknownLegalBasis_Is400ListingTheAllowedCodes_AConfiguredOneIsSent(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);

        var problem = await w.SendAsync(expected: HttpStatusCode.BadRequest, legalBasis: "omdat-het-moet",
            organisationId: w.S.OtherOrganisationId, service: "huurachterstand");
        var message = problem["errors"]!["legalBasis"]![0]!.GetValue<string>();
        foreach (var code in new[] { "zwaarwegend-belang", "wettelijke-taak-jeugdwet", "wettelijke-taak-wmo", "wettelijke-taak-participatiewet", "wettelijke-taak-wgs" })
        {
            Assert.Contains(code, message, StringComparison.Ordinal);
        }
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM requests"));

        var sent = await w.SendAsync(legalBasis: "wettelijke-taak-wmo", organisationId: w.S.OtherOrganisationId, service: "huurachterstand");
        Assert.Equal("wettelijke-taak-wmo", sent["legalBasis"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AConfiguredList_ReplacesTheDefaults(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, new Dictionary<string, string>
        {
            ["Requests:LegalBases:wettelijke-taak-leerplicht"] = "Leerplichtwet 1969 art. 16",
        });
        var w = await RequestWorld.CreateAsync(app);
        var problem = await w.SendAsync(expected: HttpStatusCode.BadRequest, legalBasis: "zwaarwegend-belang",
            organisationId: w.S.OtherOrganisationId, service: "huurachterstand");
        Assert.Contains("wettelijke-taak-leerplicht", problem["errors"]!["legalBasis"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await w.SendAsync(legalBasis: "wettelijke-taak-leerplicht", organisationId: w.S.OtherOrganisationId, service: "huurachterstand");
    }
}
