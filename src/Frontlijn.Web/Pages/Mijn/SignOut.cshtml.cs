using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Mijn;

/// <summary>Signing out ends the resident's session on the server (Sessions.cs), and at the DigiD broker in oidc mode.</summary>
public sealed class SignOutModel(AuthSettings auth, ResidentSettings residents) : PageModel
{
    public IActionResult OnGet() => Redirect(ResidentSignIn.SignInPath);

    public IActionResult OnPost()
    {
        var properties = new AuthenticationProperties { RedirectUri = ResidentSignIn.SignInPath };
        return residents.HasOidcSignIn(auth) && User.IsInRole(Roles.Resident)
            ? SignOut(properties, CookieAuthenticationDefaults.AuthenticationScheme, ResidentAuthSetup.ResidentOidcScheme)
            : SignOut(properties, CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
