using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Mijn;

/// <summary>
/// Every portal page is for a signed-in resident only. The folder is not under the staff policy (PagesSetup), so this
/// is the check: someone not signed in goes to the residents' sign-in (with "Uw sessie is verlopen" when their cookie
/// was refused); a signed-in staff user gets 404 — the portal is not theirs, and a staff cookie must not pass for a
/// household's.
/// </summary>
public abstract class ResidentPageModel : PageModel
{
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var me = HttpContext.RequestServices.GetRequiredService<CurrentUser>();
        if (!me.IsResident)
        {
            if (me.IsKnown)
            {
                context.Result = NotFound();
                return;
            }
            var returnUrl = Uri.EscapeDataString(Request.Path + Request.QueryString);
            var expired = HostPrefixCookieManager.HasSessionCookie(Request) ? $"&{Sessions.ExpiredQuery}={Sessions.ExpiredValue}" : "";
            context.Result = Redirect($"{ResidentSignIn.SignInPath}?ReturnUrl={returnUrl}{expired}");
            return;
        }
        await next();
    }
}
