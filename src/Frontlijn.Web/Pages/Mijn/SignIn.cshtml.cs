using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Mijn;

/// <summary>
/// The residents' sign-in. Demo mode: pick one of the demo residents (members aged 16 or older with a BSN); anyone may,
/// which is why demo mode is refused in Production. OIDC: DigiD through the municipality's broker
/// (<see cref="ResidentAuthSetup.ResidentOidcScheme"/>).
/// </summary>
public sealed class SignInModel(AuthSettings auth, ResidentSettings residents, ResidentDirectory directory) : PageModel
{
    public AuthSettings Auth => auth;
    public bool HasDigiD => residents.HasOidcSignIn(auth);
    public IReadOnlyList<ResidentDirectory.ResidentRow> Residents { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool SessionExpired => Request.Query[Sessions.ExpiredQuery] == Sessions.ExpiredValue;

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (auth.Mode == AuthMode.Demo) Residents = await directory.DemoCandidatesAsync(ct);
    }

    public async Task<IActionResult> OnPostDemoAsync(Guid? memberId, CancellationToken ct)
    {
        if (auth.Mode != AuthMode.Demo) return NotFound();
        if (memberId is not { } id || await directory.ByMemberAsync(id, ct) is not { } resident || string.IsNullOrEmpty(resident.FamilyName))
        {
            Residents = await directory.DemoCandidatesAsync(ct);
            ModelState.AddModelError("", "Kies een van de bewoners hieronder.");
            return Page();
        }
        var principal = await ResidentSignIn.StartAsync(HttpContext.RequestServices, resident.MemberId, ct);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return LocalRedirect(SafeReturnUrl());
    }

    public IActionResult OnPostDigiD()
    {
        if (!HasDigiD) return NotFound();
        return Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl() }, ResidentAuthSetup.ResidentOidcScheme);
    }

    private string SafeReturnUrl() =>
        ReturnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith(ResidentGate.PortalPath, StringComparison.Ordinal) ? url : ResidentGate.PortalPath;
}
