using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Users;

public sealed class IndexModel(IMediator mediator) : PageModel
{
    public PagedResult<User> Result { get; private set; } = null!;
    public IReadOnlyDictionary<Guid, string> TeamNames { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyDictionary<Guid, string> OrganisationNames { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>Filter on one role (the API's <c>role</c> filter); empty shows everyone.</summary>
    [BindProperty(SupportsGet = true, Name = "rol")]
    public string? Role { get; set; }

    public Pager Pager => Pager.For(Result, p => Role is null ? $"/beheer/gebruikers?page={p}" : $"/beheer/gebruikers?rol={Uri.EscapeDataString(Role)}&page={p}");

    public async Task OnGetAsync([FromQuery(Name = "page")] int? page, CancellationToken ct)
    {
        if (Role is not null && !Roles.All.Contains(Role)) Role = null;
        Result = await mediator.Send(new ListUsers.Query(AdminLists.Paging(page), Role, null, null), ct);
        TeamNames = (await mediator.Send(new ListTeams.Query(AdminLists.Lookup), ct)).Items.ToDictionary(t => t.Id, t => t.Name);
        OrganisationNames = (await mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items.ToDictionary(o => o.Id, o => o.Name);
    }

    public string WorksFor(User user) =>
        user.TeamId is { } t ? TeamNames.GetValueOrDefault(t, "—")
        : user.OrganisationId is { } o ? OrganisationNames.GetValueOrDefault(o, "—")
        : "—";
}
