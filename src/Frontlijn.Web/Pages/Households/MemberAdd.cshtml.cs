using Frontlijn.Web.Features.Households;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>Someone joins the household (a baby, a partner): sends <see cref="AddMember.Command"/>, as POST .../members does.</summary>
public sealed class MemberAddModel(IMediator mediator) : HouseholdFormPage(mediator)
{
    [BindProperty]
    public MemberForm Input { get; set; } = new();

    protected override IReadOnlyDictionary<string, string> Labels => MemberForm.Labels;

    protected override Task LoadAsync(CancellationToken ct)
    {
        if (Household.Status == HouseholdStatus.Closed)
        {
            ModelState.AddModelError("", "Dit huishouden is afgesloten; de samenstelling wijzigt niet meer.");
        }
        Input.Role ??= "child";
        return Task.CompletedTask;
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var result = await SendAsync(id, async token =>
        {
            var added = await Mediator.Send(new AddMember.Command(id, Input.ToMemberInput()), token);
            return $"{Ui.Name(added.GivenName, added.FamilyName)} is toegevoegd aan het huishouden.";
        }, ct);
        Input.ForgetBsn(ModelState, nameof(Input));
        return result;
    }
}

/// <summary>The member fields as the add and correct forms show them.</summary>
public sealed class MemberForm
{
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public string? Role { get; set; }
    public string? Bsn { get; set; }

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GivenName"] = "Voornaam", ["FamilyName"] = "Achternaam", ["DateOfBirth"] = "Geboortedatum", ["Role"] = "Rol",
        ["Bsn"] = "BSN", ["Member"] = "Lid",
    };

    public string? TypedBsn => string.IsNullOrWhiteSpace(Bsn) ? null : Bsn.Replace(" ", "", StringComparison.Ordinal);

    public MemberInput ToMemberInput() => new(GivenName?.Trim(), FamilyName?.Trim(), DateOfBirth, TypedBsn, Role);

    /// <summary>
    /// A refused form is shown again, but never with a BSN in it (as at registration): the page would carry it in its
    /// HTML and in the browser's form history. The field says why it is empty.
    /// </summary>
    public void ForgetBsn(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState, string prefix)
    {
        if (TypedBsn is null) return;
        Bsn = null;
        var key = $"{prefix}.Bsn";
        modelState.SetModelValue(key, rawValue: null, attemptedValue: "");
        if (modelState.ErrorCount > 0 && !(modelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0))
        {
            modelState.AddModelError(key, "Vul het BSN opnieuw in: het wordt om privacyredenen niet teruggestuurd.");
        }
    }
}
