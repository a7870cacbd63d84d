using FluentValidation;
using Frontlijn.Web.Features.Households;

namespace Frontlijn.Web.Features.Signals;

/// <summary>routed: went straight to the household's coach; untriaged: waits in a triage queue; triaged: a team lead linked it.</summary>
public static class SignalStatus
{
    public const string Routed = "routed";
    public const string Untriaged = "untriaged";
    public const string Triaged = "triaged";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Routed, Untriaged, Triaged };
}

/// <summary>A person a signal is about: the sender may know little more than a family name.</summary>
public sealed record SignalMemberInput(string? GivenName, string? FamilyName, DateOnly? DateOfBirth, string? Bsn, string? Role);

public sealed class SignalMemberValidator : AbstractValidator<SignalMemberInput>
{
    public SignalMemberValidator(TimeProvider time)
    {
        RuleFor(m => m.GivenName).MaximumLength(200);
        RuleFor(m => m.FamilyName).NotEmpty().MaximumLength(200);
        RuleFor(m => m.DateOfBirth)
            .Must(d => d is null || (d.Value.Year >= 1900 && d.Value <= DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)))
            .WithMessage("Een geboortedatum ligt tussen 1900 en vandaag.");
        RuleFor(m => m.Role).Must(r => r is null || MemberRoles.All.Contains(r))
            .WithMessage("Rol is head, partner, child of other.");
        RuleFor(m => m.Bsn).Must(Bsn.IsValid).When(m => m.Bsn is not null)
            .WithMessage("Dit is geen geldig BSN: negen cijfers die voldoen aan de elfproef.");
    }
}
