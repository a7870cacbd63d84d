using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// Edit the household's address, or move it: sends <see cref="MoveHousehold.Command"/> with the whole address, exactly
/// as PATCH /api/v1/households/{id} does. Every neighbourhood is offered, grouped by team: a neighbourhood of another
/// team puts the household in that team's triage queue, and the page says so before and after.
/// </summary>
public sealed class EditModel(IMediator mediator) : HouseholdFormPage(mediator)
{
    public sealed class InputModel
    {
        public Guid? NeighbourhoodId { get; set; }
        public string? Street { get; set; }
        public int? HouseNumber { get; set; }
        public string? HouseNumberSuffix { get; set; }
        public string? PostalCode { get; set; }
        public string? City { get; set; }
    }

    public sealed record Area(Guid TeamId, string TeamName, bool OwnTeam, IReadOnlyList<Neighbourhood> Neighbourhoods);

    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>The household's own team first, then the others (their neighbourhoods mean a handover through triage).</summary>
    public IReadOnlyList<Area> Areas { get; private set; } = [];

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NeighbourhoodId"] = "Wijk", ["Street"] = "Straat", ["HouseNumber"] = "Huisnummer",
        ["HouseNumberSuffix"] = "Toevoeging", ["PostalCode"] = "Postcode", ["City"] = "Plaats", ["Address"] = "Adres",
    };

    protected override string? FieldFor(string path) =>
        path.StartsWith("Address.", StringComparison.Ordinal) ? path["Address.".Length..]
        : path == "Address" ? "Street"
        : null;

    protected override async Task LoadAsync(CancellationToken ct)
    {
        var neighbourhoods = (await Mediator.Send(new ListNeighbourhoods.Query(AdminLists.Lookup), ct)).Items.ToDictionary(n => n.Id);
        var teams = (await Mediator.Send(new ListTeams.Query(AdminLists.Lookup), ct)).Items;
        Areas = teams
            .Select(t => new Area(t.Id, t.Name, t.Id == Household.TeamId,
                t.NeighbourhoodIds.Where(neighbourhoods.ContainsKey).Select(n => neighbourhoods[n])
                    .OrderBy(n => n.Name, StringComparer.CurrentCulture).ToList()))
            .Where(a => a.Neighbourhoods.Count > 0)
            .OrderByDescending(a => a.OwnTeam).ThenBy(a => a.TeamName, StringComparer.CurrentCulture)
            .ToList();
        // A GET starts from the household as it is; a refused POST keeps what was typed.
        if (Request.Method == HttpMethods.Get)
        {
            var a = Household.Address;
            Input = new InputModel
            {
                NeighbourhoodId = Household.NeighbourhoodId, Street = a.Street, HouseNumber = a.HouseNumber,
                HouseNumberSuffix = a.HouseNumberSuffix,
                PostalCode = a.PostalCode.Length == 6 ? $"{a.PostalCode[..4]} {a.PostalCode[4..]}" : a.PostalCode, City = a.City,
            };
        }
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        var moved = await Mediator.Send(new MoveHousehold.Command(id,
            new AddressInput(Input.Street, Input.HouseNumber, Input.HouseNumberSuffix, Input.PostalCode, Input.City),
            Input.NeighbourhoodId), token);
        var receiving = Areas.FirstOrDefault(a => !a.OwnTeam && a.Neighbourhoods.Any(n => n.Id == moved.NeighbourhoodId)
                                                  && !Areas.Any(o => o.OwnTeam && o.Neighbourhoods.Any(n => n.Id == moved.NeighbourhoodId)));
        return receiving is null
            ? "Het adres van het huishouden is bijgewerkt."
            : $"Het huishouden is verhuisd naar een wijk van {receiving.TeamName}. Het staat nu in de triagewachtrij van dat team; " +
              $"{(moved.Coach is { } c ? c.DisplayName : "de huidige coach")} blijft contactpersoon tot dat team een coach toewijst.";
    }, ct);
}
