using System.Net;
using System.Text.Json.Nodes;

namespace Frontlijn.IntegrationTests.Infrastructure;

/// <summary>Request bodies as a client would send them, with sensible defaults a test overrides where it matters.</summary>
public static class Builders
{
    /// <summary>Valid test BSNs (they pass the elfproef); never real people.</summary>
    public const string Bsn1 = "111222333";
    public const string Bsn2 = "123456782";

    public static object Address(string postalCode = "8925 ab", int houseNumber = 12, string street = "Heechterp",
        string city = "Leeuwarden", string? houseNumberSuffix = null) =>
        new { street, houseNumber, houseNumberSuffix, postalCode, city };

    public static object AHousehold(Guid neighbourhoodId, string postalCode = "8925 ab", int houseNumber = 12,
        string? bsn = null, string familyName = "Bosma", string dateOfBirth = "1984-05-12") => new
    {
        neighbourhoodId,
        address = Address(postalCode, houseNumber),
        members = new object[]
        {
            new { givenName = "Sandra", familyName, dateOfBirth, bsn, role = "head" },
            new { givenName = "Tim", familyName, dateOfBirth = "2012-09-01", bsn = (string?)null, role = "child" },
        },
    };

    public static Task<JsonNode> RegisterHouseholdAsync(this HttpClient client, Guid neighbourhoodId, string postalCode = "8925 ab",
        int houseNumber = 12, string? bsn = null, string familyName = "Bosma") =>
        client.PostJson("/api/v1/households", AHousehold(neighbourhoodId, postalCode, houseNumber, bsn, familyName))
            .ExpectAsync(HttpStatusCode.Created);

    public static Task<JsonNode> AssignCoachAsync(this HttpClient client, Guid householdId, Guid coachId,
        HttpStatusCode expected = HttpStatusCode.OK, string reason = "Past bij de hulpvraag") =>
        client.PutJson($"/api/v1/households/{householdId}/coach", new { coachId, reason }).ExpectAsync(expected);

    public static object ASignal(object address, string concern = "Zorgen over huurachterstand", object[]? members = null) =>
        new { address, members, concern, domains = new[] { "financien" } };
}
