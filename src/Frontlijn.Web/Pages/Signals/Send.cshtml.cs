using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Signals;

/// <summary>The submission of the signal form: rate limited like <c>POST /api/v1/signals</c> (see PagesSetup).</summary>
public sealed class SendModel(IMediator mediator) : SignalFormPage(mediator)
{
    public Task<IActionResult> OnPostAsync(CancellationToken ct) => SubmitAsync(ct);

    public IActionResult OnGet() => Redirect("/signalen/melden");
}
