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

        /// <summary>A decline is sent only after the person confirmed it on the confirmation step.</summary>
        public bool Confirmed { get; set; }
    }

    public sealed class AssignInput
    {
        /// <summary>The colleague; empty = nobody in particular.</summary>
        public Guid? AssigneeId { get; set; }
    }

    public sealed class MessageInput
    {
        public string? Text { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Status"] = "Status", ["ExpectedVersion"] = "Versie", ["Note"] = "Toelichting", ["ReasonCode"] = "Reden",
        ["Answer"] = "Antwoord", ["NewDueAt"] = "Nieuwe termijn", ["Text"] = "Bericht",
        ["UserId"] = "Collega",
    };

    [BindProperty]
    public ChangeInput Change { get; set; } = new();

    [BindProperty]
    public MessageInput Message { get; set; } = new();

    [BindProperty]
    public AssignInput Assign { get; set; } = new();

    /// <summary>The action whose form was posted and came back (its fields keep what was typed and show the errors).</summary>
    public string? PostedAction { get; private set; }

    /// <summary>A decline that waits for "Ja, afwijzen".</summary>
    public bool ConfirmDecline { get; private set; }

    /// <summary>The active back-office colleagues of the addressed organisation (the assignment's choices).</summary>
    public IReadOnlyList<Features.Admin.Users.User> Colleagues { get; private set; } = [];

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
        PostedAction = Change.Status;
        // Required and chosen by the person (no reason is preselected), then confirmed on a second step.
        if (Change.Status == "declined" && ModelState.IsValid)
        {
            if (string.IsNullOrWhiteSpace(Change.ReasonCode) || Ui.DeclineReasons.All(r => r.Code != Change.ReasonCode))
            {
                ModelState.AddModelError("Change.ReasonCode", "Kies de reden van afwijzen.");
            }
            else if (!Change.Confirmed)
            {
                ConfirmDecline = true;
                return Page();
            }
        }
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
                // Each message at the field this form shows: the new day for the due date, the note for the reason
                // of a suspension or extension (those forms have no reason list), the version is no field at all.
                FormErrors.AddTo(ModelState, ex, nameof(Change), Labels, path => path switch
                {
                    "NewDueAt" => "NewDueOn",
                    "ReasonCode" when Change.Status is "suspended" or "extended" => "Note",
                    "ExpectedVersion" or "Status" => "",
                    _ => null,
                });
            }
            catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status403Forbidden)
            {
                await LoadAsync(id, ct);
                ModelState.AddModelError("", ex.Status == StatusCodes.Status409Conflict
                    ? $"Dit kon niet meer: iemand heeft het verzoek intussen gewijzigd. Het is nu '{Ui.RequestStatus(Item.Status).ToLowerInvariant()}'; bekijk de nieuwe stand en probeer het zo nodig opnieuw."
                    : ex.Detail);
                PostedAction = null;
                return Page();
            }
        }
        await LoadAsync(id, ct);
        return Page();
    }

    /// <summary>The back office gives the request to a colleague, or to nobody (<see cref="AssignRequest.Command"/>).</summary>
    public async Task<IActionResult> OnPostAssignAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (ModelState.IsValid)
        {
            try
            {
                var done = await mediator.Send(new AssignRequest.Command(id, Assign.AssigneeId), ct);
                TempData["Melding"] = done.Assignee is { } a
                    ? $"Het verzoek is toegewezen aan {(a.Id == me.Id ? "u" : a.DisplayName)}."
                    : "Het verzoek is aan niemand in het bijzonder toegewezen.";
                return Redirect($"/verzoeken/{id}");
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Assign), Labels, path => path == "UserId" ? "AssigneeId" : null);
            }
            catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status403Forbidden)
            {
                ModelState.AddModelError("Assign.AssigneeId", ex.Detail);
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
        if (IsAddressee)
        {
            Colleagues = (await mediator.Send(new Features.Admin.Users.ListUsers.Query(Admin.AdminLists.Lookup, Roles.BackOffice, null, Item.OrganisationId), ct))
                .Items.Where(u => u.Active).OrderBy(u => u.DisplayName, StringComparer.CurrentCulture).ToList();
        }
        Thread = (await mediator.Send(new ListRequestMessages.Query(id), ct)).Items;
        return true;
    }
}
