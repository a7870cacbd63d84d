using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// A provider is no longer involved: sends <see cref="EndInvolvement.Command"/> with the end date, as
/// POST .../involvements/{involvementId}/end does (the API takes a date only; the reason it records is "ended by the
/// coach", as opposed to closure or inactivity).
/// </summary>
public sealed class InvolvementEndModel(IMediator mediator, TimeProvider time) : HouseholdFormPage(mediator)
{
    public sealed class InputModel
    {
        public DateOnly? EndedOn { get; set; }
    }

    [BindProperty(SupportsGet = true, Name = "involvementId")]
    public Guid InvolvementId { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public Involvement Involvement { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["EndedOn"] = "Betrokken tot en met",
    };

    protected override async Task LoadAsync(CancellationToken ct)
    {
        Involvement = (await Mediator.Send(new ListInvolvements.Query(Household.Id, true), ct)).Items
                      .FirstOrDefault(i => i.Id == InvolvementId) ?? throw ProblemException.NotFound("Deze betrokkenheid");
        if (Request.Method == HttpMethods.Get) Input.EndedOn ??= Ui.Today(time);
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        var ended = await Mediator.Send(new EndInvolvement.Command(id, InvolvementId, Input.EndedOn), token);
        return $"{ended.ProviderName} is niet meer betrokken bij dit huishouden.";
    }, ct);
}
