using System.Text.RegularExpressions;
using FluentValidation;
using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// Sends <see cref="RegisterHousehold.Command"/>, exactly as POST /api/v1/households does. Four member rows to start
/// with, each with its own role; "Nog een lid" adds a row (up to the API's maximum), without JavaScript.
/// </summary>
public sealed partial class RegisterModel(IMediator mediator, CurrentUser me) : PageModel
{
    public const int MemberRows = 4;

    public sealed class MemberRow
    {
        public string? GivenName { get; set; }
        public string? FamilyName { get; set; }
        public DateOnly? DateOfBirth { get; set; }
        public string? Bsn { get; set; }
        public string? Role { get; set; }

        public bool IsEmpty => string.IsNullOrWhiteSpace(GivenName) && string.IsNullOrWhiteSpace(FamilyName) &&
                               DateOfBirth is null && string.IsNullOrWhiteSpace(Bsn);
    }

    public sealed class InputModel
    {
        public Guid? NeighbourhoodId { get; set; }
        public string? Street { get; set; }
        public int? HouseNumber { get; set; }
        public string? HouseNumberSuffix { get; set; }
        public string? PostalCode { get; set; }
        public string? City { get; set; }
        public List<MemberRow> Members { get; set; } = [];
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["NeighbourhoodId"] = "Wijk", ["Street"] = "Straat", ["HouseNumber"] = "Huisnummer",
        ["HouseNumberSuffix"] = "Toevoeging", ["PostalCode"] = "Postcode", ["City"] = "Plaats", ["Members"] = "Leden",
        ["GivenName"] = "Voornaam", ["FamilyName"] = "Achternaam", ["DateOfBirth"] = "Geboortedatum", ["Bsn"] = "BSN",
        ["Role"] = "Rol",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<Neighbourhood> Neighbourhoods { get; private set; } = [];

    /// <summary>A row was added while BSNs were typed: they were not sent back (see below), the page says so.</summary>
    public bool BsnsCleared { get; private set; }

    public bool MayAddRow => Input.Members.Count < RegisterHousehold.MaxMembers;

    /// <summary>
    /// One more member row, everything typed kept except the BSNs: a page never carries a BSN back in its HTML. Nothing
    /// is validated or saved yet.
    /// </summary>
    public async Task<IActionResult> OnPostAddRowAsync(CancellationToken ct)
    {
        ModelState.Clear();
        foreach (var row in Input.Members.Where(m => !string.IsNullOrWhiteSpace(m.Bsn)))
        {
            row.Bsn = null;
            BsnsCleared = true;
        }
        if (Input.Members.Count < RegisterHousehold.MaxMembers) Input.Members.Add(new MemberRow { Role = "child" });
        await LoadAsync(ct);
        return Page();
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.Members = [new MemberRow { Role = "head" }];
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // Rows left empty are not members; the others keep their row number for the error messages.
        var rows = Input.Members.Select((m, i) => (m, i)).Where(x => !x.m.IsEmpty).ToList();
        if (ModelState.IsValid)
        {
            try
            {
                var created = await mediator.Send(new RegisterHousehold.Command(Input.NeighbourhoodId,
                    new AddressInput(Input.Street, Input.HouseNumber, Input.HouseNumberSuffix, Input.PostalCode, Input.City),
                    rows.Select(x => new MemberInput(x.m.GivenName?.Trim(), x.m.FamilyName?.Trim(), x.m.DateOfBirth,
                        string.IsNullOrWhiteSpace(x.m.Bsn) ? null : x.m.Bsn.Replace(" ", "", StringComparison.Ordinal), x.m.Role)).ToList()), ct);
                TempData["Melding"] = "Het huishouden is geregistreerd.";
                return Redirect($"/huishoudens/{created.Id}");
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Input), Labels, path =>
                {
                    if (path.StartsWith("Address.", StringComparison.Ordinal)) return path["Address.".Length..];
                    var match = MemberPath().Match(path);
                    if (match.Success && int.TryParse(match.Groups[1].Value, out var k) && k < rows.Count)
                    {
                        return $"Members[{rows[k].i}]{match.Groups[2].Value}";
                    }
                    return path.StartsWith("Members", StringComparison.Ordinal) ? "Members" : null;
                });
            }
            catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status403Forbidden)
            {
                ModelState.AddModelError("", ex.Detail);
            }
        }
        // A refused form is shown again, but never with a BSN in it: the page would carry it in its HTML (and in the
        // browser's form history). The field keeps its error; the coach types the number again.
        for (var i = 0; i < Input.Members.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Input.Members[i].Bsn)) continue;
            Input.Members[i].Bsn = null;
            ModelState.SetModelValue($"{nameof(Input)}.Members[{i}].Bsn", rawValue: null, attemptedValue: "");
            ModelState.AddModelError($"{nameof(Input)}.Members[{i}].Bsn", "Vul het BSN opnieuw in: het wordt om privacyredenen niet teruggestuurd.");
        }
        while (Input.Members.Count < MemberRows) Input.Members.Add(new MemberRow());
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        while (Input.Members.Count < MemberRows) Input.Members.Add(new MemberRow());
        if (me.TeamId is not { } teamId) return;
        var team = await mediator.Send(new GetTeam.Query(teamId), ct);
        var list = new List<Neighbourhood>();
        foreach (var id in team.NeighbourhoodIds) list.Add(await mediator.Send(new GetNeighbourhood.Query(id), ct));
        Neighbourhoods = list.OrderBy(n => n.Name, StringComparer.CurrentCulture).ToList();
    }

    [GeneratedRegex(@"^Members\[(\d+)\](.*)$")]
    private static partial Regex MemberPath();
}
