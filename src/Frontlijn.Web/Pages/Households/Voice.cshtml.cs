using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Households;

/// <summary>The household page's live region "Wat het huishouden zelf zegt", as a fragment (live.js fetches it).</summary>
public sealed class VoiceModel : PageModel
{
    public Guid Id { get; private set; }

    public void OnGet(Guid id) => Id = id;
}
