using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Account;

/// <summary>Sign-out is a POST (with antiforgery), so no link or image elsewhere can sign someone out.</summary>
public sealed class SignOutModel(AuthSettings settings) : PageModel
{
    public IActionResult OnPost()
    {
        var properties = new AuthenticationProperties { RedirectUri = "/aanmelden" };
        // With OIDC the identity provider ends its session too, and sends the browser back to the sign-in page.
        return settings.HasOidcSignIn
            ? SignOut(properties, CookieAuthenticationDefaults.AuthenticationScheme, AuthSchemes.Oidc)
            : SignOut(properties, CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
