using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// A member leaves the household (a partner moves out, a child goes to live on their own): sends
/// <see cref="RecordMemberDeparture.Command"/>, as POST .../members/{memberId}/departure does.
/// </summary>
public sealed class MemberDepartureModel(IMediator mediator, TimeProvider time) : HouseholdFormPage(mediator)
{
    public sealed class InputModel
    {
        public DateOnly? On { get; set; }
        public string? Reason { get; set; }
    }

    [BindProperty(SupportsGet = true, Name = "memberId")]
    public Guid MemberId { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public Member Member { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["On"] = "Vertrokken op", ["Reason"] = "Reden van vertrek",
    };

    protected override Task LoadAsync(CancellationToken ct)
    {
        Member = Household.Members.FirstOrDefault(m => m.Id == MemberId) ?? throw ProblemException.NotFound("Dit lid");
        if (Request.Method == HttpMethods.Get) Input.On ??= Ui.Today(time);
        return Task.CompletedTask;
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        var left = await Mediator.Send(new RecordMemberDeparture.Command(id, MemberId, Input.On, Input.Reason?.Trim()), token);
        return $"Het vertrek van {Ui.Name(left.GivenName, left.FamilyName)} is vastgelegd. Het lid blijft zichtbaar in de geschiedenis.";
    }, ct);
}
