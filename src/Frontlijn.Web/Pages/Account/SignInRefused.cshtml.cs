using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Account;

/// <summary>Where <see cref="Infrastructure.Auth.OidcSignIn"/> sends someone it did not sign in, with the reason.</summary>
[AllowAnonymous]
public sealed class SignInRefusedModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "reden")]
    public string? Reason { get; set; }

    public void OnGet()
    {
    }
}
