using FluentValidation;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Requests;

/// <summary>
/// One request: its question, status, due date, answer, status history and clarification thread. The back office
/// acknowledges, answers, declines, suspends, resumes or extends it, the coach may withdraw it; both write in the
/// thread. Every change is <see cref="ChangeRequestStatus.Command"/> with the version the person saw, so a change
/// made meanwhile by someone else is refused rather than overwritten. The status part refreshes itself live.
/// </summary>
public sealed class DetailsModel(IMediator mediator, CurrentUser me) : PageModel
{
    public sealed class ChangeInput
    {
        public string? Status { get; set; }
        public int? ExpectedVersion { get; set; }
        public string? Note { get; set; }
        public string? ReasonCode { get; set; }
        public string? Answer { get; set; }

        /// <summary>The new due day of an extension; the due time is the end of that day in Amsterdam.</summary>
        public DateOnly? NewDueOn { get; set; }
    }

    public sealed class MessageInput
    {
        public string? Text { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Status"] = "Status", ["ExpectedVersion"] = "Versie", ["Note"] = "Toelichting", ["ReasonCode"] = "Reden",
        ["Answer"] = "Antwoord", ["NewDueAt"] = "Nieuwe termijn", ["Text"] = "Bericht",
    };

    [BindProperty]
    public ChangeInput Change { get; set; } = new();

    [BindProperty]
    public MessageInput Message { get; set; } = new();

    public CurrentUser Me => me;
    public RequestDetail Item { get; private set; } = null!;
    public IReadOnlyList<ChangeRequestStatus.StatusChange> History { get; private set; } = [];
    public IReadOnlyList<RequestMessage> Thread { get; private set; } = [];

    public bool IsAddressee => me.IsInRole(Roles.BackOffice) && me.OrganisationId == Item.OrganisationId;
    public bool IsCoach => me.IsInRole(Roles.Coach);

    /// <summary>The changes this person may make now (the lifecycle's own rules decide in the command).</summary>
    public IReadOnlyList<string> Actions => IsAddressee
        ? Item.Status switch
        {
            RequestStatus.Sent => ["acknowledged", "suspended", "extended"],
            RequestStatus.Acknowledged => ["answered", "declined", "suspended", "extended"],
            RequestStatus.Suspended => ["resumed"],
            _ => [],
        }
        : IsCoach && Item.Status is RequestStatus.Sent or RequestStatus.Acknowledged ? ["withdrawn"] : [];

    public bool MayWrite => IsAddressee || IsCoach;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>The live part alone (status, answer, actions, history, thread), for the refresh after a notification.</summary>
    public async Task<IActionResult> OnGetLiveAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Partial("_RequestLive", this) : NotFound();

    public async Task<IActionResult> OnPostStatusAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (ModelState.IsValid)
        {
            try
            {
                DateTimeOffset? newDueAt = Change.NewDueOn is { } day
                    ? Features.Requests.WorkingDays.StartOfDay(day.AddDays(1)).AddSeconds(-1)
                    : null;
                var done = await mediator.Send(new ChangeRequestStatus.Command(id, Change.Status,
                    string.IsNullOrWhiteSpace(Change.Note) ? null : Change.Note.Trim(),
                    string.IsNullOrWhiteSpace(Change.ReasonCode) ? null : Change.ReasonCode,
                    Change.Status == "answered" ? Change.Answer?.Trim() : null, newDueAt, Change.ExpectedVersion), ct);
                TempData["Melding"] = $"Het verzoek is bijgewerkt: {Ui.RequestChange(done.Change).ToLowerInvariant()}.";
                return Redirect($"/verzoeken/{id}");
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Change), Labels, path => path == "NewDueAt" ? "NewDueOn" : null);
            }
            catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status403Forbidden)
            {
                ModelState.AddModelError("", ex.Detail);
            }
        }
        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMessageAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (ModelState.IsValid)
        {
            try
            {
                await mediator.Send(new PostRequestMessage.Command(id, Message.Text?.Trim()), ct);
                TempData["Melding"] = "Uw bericht is verstuurd.";
                return Redirect($"/verzoeken/{id}#berichten-titel");
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Message), Labels);
            }
            catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status403Forbidden)
            {
                ModelState.AddModelError("", ex.Detail);
            }
        }
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Item = await mediator.Send(new GetRequest.Query(id), ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return false;
        }
        History = (await mediator.Send(new ListStatusChanges.Query(id), ct)).Items;
        Thread = (await mediator.Send(new ListRequestMessages.Query(id), ct)).Items;
        return true;
    }
}
