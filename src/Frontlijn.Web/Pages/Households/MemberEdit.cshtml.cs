using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// Correct a member (a misspelt name, a wrong birth date or role, a BSN typo): sends <see cref="PatchMember.Command"/>,
/// as PATCH .../members/{memberId} does. The BSN travels only in the form body; an empty BSN field leaves it as it is,
/// and "remove" clears it.
/// </summary>
public sealed class MemberEditModel(IMediator mediator) : HouseholdFormPage(mediator)
{
    [BindProperty(SupportsGet = true, Name = "memberId")]
    public Guid MemberId { get; set; }

    [BindProperty]
    public MemberForm Input { get; set; } = new();

    [BindProperty]
    public bool RemoveBsn { get; set; }

    public Member Member { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Labels => MemberForm.Labels;

    protected override Task LoadAsync(CancellationToken ct)
    {
        Member = Household.Members.FirstOrDefault(m => m.Id == MemberId) ?? throw ProblemException.NotFound("Dit lid");
        if (Request.Method == HttpMethods.Get)
        {
            Input = new MemberForm
            {
                GivenName = Member.GivenName, FamilyName = Member.FamilyName, DateOfBirth = Member.DateOfBirth, Role = Member.Role,
            };
        }
        return Task.CompletedTask;
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var result = await SendAsync(id, async token =>
        {
            var bsn = Input.TypedBsn;
            var changed = await Mediator.Send(new PatchMember.Command(id, MemberId, Input.GivenName?.Trim(), Input.FamilyName?.Trim(),
                Input.DateOfBirth, Input.Role, bsn is not null || RemoveBsn, RemoveBsn ? null : bsn), token);
            return $"De gegevens van {Ui.Name(changed.GivenName, changed.FamilyName)} zijn gecorrigeerd.";
        }, ct);
        Input.ForgetBsn(ModelState, nameof(Input));
        return result;
    }
}
