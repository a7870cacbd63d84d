using System.Security.Claims;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Account;

/// <summary>
/// Demo mode: pick one of the users in the database and get a session cookie as that user (anyone may, which is why
/// demo mode is refused in Production). OIDC mode: sign in at the municipality's identity provider.
/// </summary>
public sealed class SignInModel(IMediator mediator, AuthSettings settings) : PageModel
{
    public const int MaxDemoUsers = 200;

    public sealed record DemoUser(string Username, string DisplayName, string Role, string? WorksFor);

    public AuthSettings Settings => settings;
    public IReadOnlyList<DemoUser> Users { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when a session cookie was refused (signed out elsewhere, deactivated, idle or past its limit).</summary>
    public bool SessionExpired => Request.Query[Sessions.ExpiredQuery] == Sessions.ExpiredValue;

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (settings.Mode == AuthMode.Demo)
        {
            Users = await LoadUsersAsync(ct);
        }
    }

    public async Task<IActionResult> OnPostDemoAsync(string? username, CancellationToken ct)
    {
        if (settings.Mode != AuthMode.Demo) return NotFound();
        Users = await LoadUsersAsync(ct);
        if (Users.FirstOrDefault(u => u.Username == username) is not { } user)
        {
            ModelState.AddModelError("", "Kies een van de gebruikers hieronder.");
            return Page();
        }
        // The cookie says only who someone is; role, team and organisation are read from the users table on every
        // request (UserClaimsTransformation), exactly as for a bearer token.
        var identity = new ClaimsIdentity([new Claim("sub", user.Username)], CookieAuthenticationDefaults.AuthenticationScheme, "sub", ClaimTypes.Role);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(SafeReturnUrl());
    }

    public IActionResult OnPostOidc()
    {
        if (!settings.HasOidcSignIn) return NotFound();
        return Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl() }, AuthSchemes.Oidc);
    }

    private string SafeReturnUrl() => ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/";

    private async Task<IReadOnlyList<DemoUser>> LoadUsersAsync(CancellationToken ct)
    {
        var all = new WebConventions.Paging(1, MaxDemoUsers);
        var users = await mediator.Send(new ListUsers.Query(all, null, null, null), ct);
        var teams = (await mediator.Send(new ListTeams.Query(all), ct)).Items.ToDictionary(t => t.Id, t => t.Name);
        var organisations = (await mediator.Send(new ListOrganisations.Query(all), ct)).Items.ToDictionary(o => o.Id, o => o.Name);
        // A deactivated user cannot sign in (their session would be refused at once).
        return users.Items
            .Where(u => u.Active)
            .Select(u => new DemoUser(u.Username, u.DisplayName, u.Role,
                u.TeamId is { } t ? teams.GetValueOrDefault(t) : u.OrganisationId is { } o ? organisations.GetValueOrDefault(o) : null))
            .ToList();
    }
}
