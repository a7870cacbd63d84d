using Microsoft.AspNetCore.Mvc;
using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Teams;

public sealed class IndexModel(IMediator mediator) : PageModel
{
    public PagedResult<Team> Result { get; private set; } = null!;
    public IReadOnlyDictionary<Guid, Neighbourhood> Neighbourhoods { get; private set; } = new Dictionary<Guid, Neighbourhood>();

    public Pager Pager => Pager.For(Result, p => $"/beheer/teams?page={p}");

    public async Task OnGetAsync([FromQuery(Name = "page")] int? page, CancellationToken ct)
    {
        Result = await mediator.Send(new ListTeams.Query(AdminLists.Paging(page)), ct);
        Neighbourhoods = await NeighbourhoodLookup.ForAsync(mediator, Result.Items.SelectMany(t => t.NeighbourhoodIds), ct);
    }
}

/// <summary>Neighbourhoods by id for a page of teams: one list query, and a GET by id for any beyond its first 200.</summary>
public static class NeighbourhoodLookup
{
    public static async Task<IReadOnlyDictionary<Guid, Neighbourhood>> ForAsync(
        IMediator mediator, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var found = (await mediator.Send(new ListNeighbourhoods.Query(AdminLists.Lookup), ct)).Items.ToDictionary(n => n.Id);
        foreach (var id in ids.Distinct().Where(id => !found.ContainsKey(id)).ToList())
        {
            found[id] = await mediator.Send(new GetNeighbourhood.Query(id), ct);
        }
        return found;
    }
}
