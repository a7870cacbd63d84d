using FluentValidation;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Users;

/// <summary>
/// Sends <see cref="PatchUser.Command"/>, exactly as PATCH /api/v1/users/{id} does: the edit form as one patch of
/// every field it shows, (de)activation as a patch of <c>active</c> alone, after a confirmation step.
/// </summary>
public sealed class EditModel(IMediator mediator) : PageModel
{
    public sealed class InputModel
    {
        public string? DisplayName { get; set; }
        public string? Role { get; set; }
        public Guid? TeamId { get; set; }
        public Guid? OrganisationId { get; set; }
        public int? MaxCaseload { get; set; }
        public string? ExternalSubject { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["DisplayName"] = "Weergavenaam", ["Role"] = "Rol", ["TeamId"] = "Team", ["OrganisationId"] = "Organisatie",
        ["MaxCaseload"] = "Maximale caseload", ["ExternalSubject"] = "Extern account-ID", ["Active"] = "Actief",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public User Subject { get; private set; } = null!;
    public IReadOnlyList<Team> Teams { get; private set; } = [];
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    /// <summary><c>?actie=deactiveren</c> or <c>activeren</c>: the confirmation step before the change.</summary>
    [BindProperty(SupportsGet = true, Name = "actie")]
    public string? Confirming { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Confirming is not ("deactiveren" or "activeren")) Confirming = null;
        Input = new InputModel
        {
            DisplayName = Subject.DisplayName, Role = Subject.Role, TeamId = Subject.TeamId,
            OrganisationId = Subject.OrganisationId, MaxCaseload = Subject.Role == Roles.Coach ? Subject.MaxCaseload : null,
            ExternalSubject = Subject.ExternalSubject,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            // Fields the role does not use are not sent by the browser (disabled): they are cleared, as the rules want.
            var command = new PatchUser.Command(id,
                DisplayName: new(true, Input.DisplayName?.Trim() ?? ""),
                Role: new(true, Input.Role),
                TeamId: new(true, Input.TeamId),
                OrganisationId: new(true, Input.OrganisationId),
                MaxCaseload: Input.Role == Roles.Coach && Input.MaxCaseload is not null ? new(true, Input.MaxCaseload) : default,
                ExternalSubject: new(true, string.IsNullOrWhiteSpace(Input.ExternalSubject) ? null : Input.ExternalSubject.Trim()));
            if (await SendAsync(command, ct) is { } changed)
            {
                TempData["Melding"] = $"Gebruiker {changed.DisplayName} ({changed.Username}) is opgeslagen.";
                return RedirectToPage("Index");
            }
        }
        if (!await LoadAsync(id, ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostActiveAsync(Guid id, bool active, CancellationToken ct)
    {
        if (await SendAsync(new PatchUser.Command(id, Active: new(true, active)), ct) is { } changed)
        {
            TempData["Melding"] = active
                ? $"Gebruiker {changed.DisplayName} ({changed.Username}) is weer actief."
                : $"Gebruiker {changed.DisplayName} ({changed.Username}) is gedeactiveerd; alle sessies zijn beëindigd.";
            return RedirectToPage("Index");
        }
        if (!await LoadAsync(id, ct)) return NotFound();
        Input = new InputModel
        {
            DisplayName = Subject.DisplayName, Role = Subject.Role, TeamId = Subject.TeamId,
            OrganisationId = Subject.OrganisationId, MaxCaseload = Subject.Role == Roles.Coach ? Subject.MaxCaseload : null,
            ExternalSubject = Subject.ExternalSubject,
        };
        return Page();
    }

    private async Task<User?> SendAsync(PatchUser.Command command, CancellationToken ct)
    {
        try
        {
            return await mediator.Send(command, ct);
        }
        catch (ValidationException ex)
        {
            FormErrors.AddTo(ModelState, ex, nameof(Input), Labels);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            ModelState.AddModelError("", ex.Detail);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
        return null;
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Subject = await mediator.Send(new GetUser.Query(id), ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return false;
        }
        Teams = (await mediator.Send(new ListTeams.Query(AdminLists.Lookup), ct)).Items;
        Organisations = (await mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items;
        return true;
    }
}
