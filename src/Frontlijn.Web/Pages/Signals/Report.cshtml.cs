using Mediator;

namespace Frontlijn.Web.Pages.Signals;

/// <summary>The signal form (GET). It is submitted to <see cref="SendModel"/>.</summary>
public sealed class ReportModel(IMediator mediator) : SignalFormPage(mediator)
{
    public void OnGet(int? wacht) => WaitSeconds = wacht is > 0 and < 100_000 ? wacht : null;
}
