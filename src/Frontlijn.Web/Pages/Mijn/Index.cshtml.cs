using FluentValidation;
using Frontlijn.Web.Features.Residents;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Mijn;

/// <summary>
/// /mijn: the household's own window — contact, plan (with the household's notes and agreement), organisations, open
/// requests, consents. Sends the same mediator requests as /api/v1/me/... (so the same rules and the same access log).
/// </summary>
public sealed class IndexModel(IMediator mediator, ResidentSettings settings) : ResidentPageModel
{
    public GetMyHousehold.MyHousehold Household { get; private set; } = null!;

    public string? ContactPhone => settings.ContactPhone;

    /// <summary>The goal whose note form was sent with an error, and what was typed (shown again at the field).</summary>
    public Guid? NoteGoalId { get; private set; }
    public string? NoteText { get; private set; }
    public string? NoteError { get; private set; }
    public string? AgreementError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Household = await mediator.Send(new GetMyHousehold.Query(), ct);

    public async Task<IActionResult> OnPostNoteAsync(Guid goalId, string? text, CancellationToken ct)
    {
        var status = StatusCodes.Status400BadRequest;
        try
        {
            await mediator.Send(new AddGoalNote.Command(goalId, text), ct);
            TempData["Melding"] = "Uw opmerking is opgeslagen. Uw coach ziet haar ook.";
            return Redirect($"/mijn#doel-{goalId}");
        }
        catch (ValidationException e)
        {
            NoteGoalId = goalId;
            NoteText = text;
            NoteError = e.Errors.First().ErrorMessage;
        }
        catch (ProblemException e)
        {
            NoteGoalId = goalId;
            NoteText = text;
            NoteError = e.Detail;
            status = e.Status;
        }
        Response.StatusCode = status;
        Household = await mediator.Send(new GetMyHousehold.Query(), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAgreementAsync(bool? agrees, CancellationToken ct)
    {
        var status = StatusCodes.Status400BadRequest;
        try
        {
            var result = await mediator.Send(new SetPlanAgreement.Command(agrees), ct);
            TempData["Melding"] = result.Agrees
                ? "Opgeslagen: u bent het eens met het plan."
                : "Opgeslagen: u bent het niet eens met het plan. Bespreek met uw coach wat er anders moet.";
            return Redirect("/mijn#instemming");
        }
        catch (ValidationException e)
        {
            AgreementError = e.Errors.First().ErrorMessage;
        }
        catch (ProblemException e)
        {
            AgreementError = e.Detail;
            status = e.Status;
        }
        Response.StatusCode = status;
        Household = await mediator.Send(new GetMyHousehold.Query(), ct);
        return Page();
    }
}
