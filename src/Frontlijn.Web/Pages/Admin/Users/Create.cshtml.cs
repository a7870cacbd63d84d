using FluentValidation;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Users;

/// <summary>Sends <see cref="CreateUser.Command"/>, exactly as POST /api/v1/users does.</summary>
public sealed class CreateModel(IMediator mediator) : PageModel
{
    public sealed class InputModel
    {
        public string? Username { get; set; }
        public string? DisplayName { get; set; }
        public string? Role { get; set; }
        public Guid? TeamId { get; set; }
        public Guid? OrganisationId { get; set; }
        public int? MaxCaseload { get; set; }
        public string? ExternalSubject { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Username"] = "Gebruikersnaam", ["DisplayName"] = "Naam", ["Role"] = "Rol", ["TeamId"] = "Team",
        ["OrganisationId"] = "Organisatie", ["MaxCaseload"] = "Maximale caseload",
        ["ExternalSubject"] = "Extern account-ID (sub)",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<Team> Teams { get; private set; } = [];
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var created = await mediator.Send(new CreateUser.Command(
                    Input.Username?.Trim() ?? "", Input.DisplayName?.Trim() ?? "", Input.Role ?? "",
                    Input.TeamId, Input.OrganisationId, Input.MaxCaseload,
                    string.IsNullOrWhiteSpace(Input.ExternalSubject) ? null : Input.ExternalSubject.Trim()), ct);
                TempData["Melding"] = $"Gebruiker {created.DisplayName} ({created.Username}) is toegevoegd.";
                return RedirectToPage("Index");
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Input), Labels);
            }
            catch (ProblemException ex) when (ex.Status == StatusCodes.Status409Conflict)
            {
                ModelState.AddModelError("", ex.Detail);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Teams = (await mediator.Send(new ListTeams.Query(AdminLists.Lookup), ct)).Items;
        Organisations = (await mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items;
    }
}
