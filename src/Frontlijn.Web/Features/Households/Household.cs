using System.Text.RegularExpressions;
using FluentValidation;

namespace Frontlijn.Web.Features.Households;

/// <summary>registered → active → closing → closed. A registered household waits for a coach (triage).</summary>
public static class HouseholdStatus
{
    public const string Registered = "registered";
    public const string Active = "active";
    public const string Closing = "closing";
    public const string Closed = "closed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Registered, Active, Closing, Closed,
    };
}

/// <summary>The role of a person in the household.</summary>
public static class MemberRoles
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "head", "partner", "child", "other",
    };
}

public sealed record Address(string Street, int HouseNumber, string? HouseNumberSuffix, string PostalCode, string City);

/// <summary>
/// A member as the API shows it: the BSN only masked (<c>*****1234</c>). <c>departedOn</c> is set for a member who
/// left the household: kept in the history, no longer counted.
/// </summary>
public sealed record Member(
    Guid Id, string? GivenName, string FamilyName, DateOnly? DateOfBirth, string Role, string? Bsn, DateOnly? DepartedOn = null);

public sealed record CoachRef(Guid Id, string DisplayName);

public sealed record HouseholdDetail(
    Guid Id, string Status, Guid NeighbourhoodId, Guid TeamId, Address Address, IReadOnlyList<Member> Members,
    CoachRef? Coach, string? ClosureReason, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, int Version);

/// <summary>An address as a client sends it; normalised before it is stored or compared.</summary>
public sealed record AddressInput(string? Street, int? HouseNumber, string? HouseNumberSuffix, string? PostalCode, string? City)
{
    // Methods, not properties: they are not part of the request body (nor of its OpenAPI schema).
    public string NormalisedPostalCode() => PostalCodes.Normalise(PostalCode);
    public string NormalisedSuffix() => (HouseNumberSuffix ?? "").Trim().TrimStart('-').Trim().ToUpperInvariant();
}

public sealed record MemberInput(string? GivenName, string? FamilyName, DateOnly? DateOfBirth, string? Bsn, string? Role);

public static partial class PostalCodes
{
    /// <summary>"8925 ab" → "8925AB"; anything else is returned trimmed (the validator refuses it).</summary>
    public static string Normalise(string? postalCode)
    {
        var compact = (postalCode ?? "").Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return Pattern().IsMatch(compact) ? compact : (postalCode ?? "").Trim();
    }

    public static bool IsValid(string? postalCode) => Pattern().IsMatch(Normalise(postalCode));

    public static string Pc4(string normalised) => normalised[..4];

    [GeneratedRegex("^[1-9][0-9]{3}[A-Z]{2}$")]
    private static partial Regex Pattern();
}

/// <summary>Family names are compared lower-case and trimmed, whatever the database's collation.</summary>
public static class FamilyNames
{
    public static string Key(string familyName) => familyName.Trim().ToLowerInvariant();
}

public sealed class AddressValidator : AbstractValidator<AddressInput>
{
    public AddressValidator()
    {
        RuleFor(a => a.Street).NotEmpty().MaximumLength(200);
        RuleFor(a => a.HouseNumber).NotNull().InclusiveBetween(1, 99999);
        RuleFor(a => a.HouseNumberSuffix).MaximumLength(10).Matches("^[-A-Za-z0-9 ]*$")
            .WithMessage("Een huisnummertoevoeging bestaat uit letters en cijfers.");
        RuleFor(a => a.PostalCode).NotEmpty().Must(PostalCodes.IsValid)
            .WithMessage("Een postcode is vier cijfers en twee letters, zoals 8925 AB.");
        RuleFor(a => a.City).NotEmpty().MaximumLength(200);
    }
}

public sealed class MemberValidator : AbstractValidator<MemberInput>
{
    public MemberValidator(TimeProvider time)
    {
        RuleFor(m => m.GivenName).NotEmpty().MaximumLength(200);
        RuleFor(m => m.FamilyName).NotEmpty().MaximumLength(200);
        RuleFor(m => m.DateOfBirth).NotNull()
            .Must(d => d is null || (d.Value.Year >= 1900 && d.Value <= DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)))
            .WithMessage("Een geboortedatum ligt tussen 1900 en vandaag.");
        RuleFor(m => m.Role).NotEmpty().Must(r => r is null || MemberRoles.All.Contains(r))
            .WithMessage("Rol is head, partner, child of other.");
        // The message never repeats the value: a BSN must not end up in a response or a log line.
        RuleFor(m => m.Bsn).Must(Bsn.IsValid).When(m => m.Bsn is not null)
            .WithMessage("Dit is geen geldig BSN: negen cijfers die voldoen aan de elfproef.");
    }
}
