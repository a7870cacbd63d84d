using FluentValidation;
using Frontlijn.Web.Features.ReplyLinks;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Antwoord;

/// <summary>
/// <c>/antwoord/{token}</c>: an organisation without a Frontlijn account acknowledges, asks, answers or declines a
/// request through the link in its mail. The same commands as the API (<see cref="OpenReplyLink"/>,
/// <see cref="UseReplyLink"/>), so the same life cycle, notifications and webhooks as the back office's page. A bad
/// link gets a Dutch page with the reason and the API's status (404 invalid, 410 revoked, spent or expired).
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public sealed class InputModel
    {
        public string? Action { get; set; }
        public string? Answer { get; set; }
        public string? Note { get; set; }
        public string? ReasonCode { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public ReplyLinkView? View { get; private set; }

    /// <summary>Why the link cannot be used (the page then shows only this).</summary>
    public string? Refusal { get; private set; }

    public string? Done { get; private set; }

    public static readonly IReadOnlyDictionary<string, string> ActionLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["acknowledged"] = "In behandeling nemen",
        ["suspended"] = "Een vraag stellen aan de coach (de termijn staat dan stil)",
        ["resumed"] = "Verder gaan: mijn vraag is beantwoord",
        ["answered"] = "Antwoorden",
        ["declined"] = "Afwijzen",
    };

    private static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Status"] = "Wat wilt u doen?",
        ["Answer"] = "Antwoord",
        ["Note"] = "Toelichting of vraag",
        ["ReasonCode"] = "Reden van afwijzen",
    };

    public async Task OnGetAsync(string token, CancellationToken ct)
    {
        NoReferrer();
        await LoadAsync(token, ct);
    }

    public async Task OnPostAsync(string token, CancellationToken ct)
    {
        NoReferrer();
        var action = Input.Action;
        try
        {
            // Only what belongs to the chosen step: the other fields of the form may still hold text.
            var result = await mediator.Send(new UseReplyLink.Command(token, action,
                action == "answered" ? Input.Answer : null,
                string.IsNullOrWhiteSpace(Input.Note) ? null : Input.Note,
                action == "declined" ? Input.ReasonCode : null), ct);
            Done = result.Status switch
            {
                "acknowledged" => "Het verzoek staat nu bij u in behandeling. De coach is op de hoogte gebracht.",
                "suspended" => "Uw vraag is naar de coach gestuurd; de termijn staat stil tot u verder gaat.",
                "answered" => "Dank u. Uw antwoord is naar de coach gestuurd. Deze link werkt nu niet meer.",
                "declined" => "Het verzoek is afgewezen; de coach is op de hoogte gebracht. Deze link werkt nu niet meer.",
                _ => "Uw reactie is verwerkt en de coach is op de hoogte gebracht.",
            };
            Input = new InputModel();
            if (result.LinkUsable) await LoadAsync(token, ct);
        }
        catch (ValidationException ex)
        {
            FormErrors.AddTo(ModelState, ex, "Input", Labels, path => path == "Status" ? "Action" : null);
            await LoadAsync(token, ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            ModelState.AddModelError("", ex.Detail);
            await LoadAsync(token, ct);
        }
        catch (ProblemException ex)
        {
            Refuse(ex);
        }
    }

    private async Task LoadAsync(string token, CancellationToken ct)
    {
        try
        {
            View = await mediator.Send(new OpenReplyLink.Command(token), ct);
        }
        catch (ProblemException ex)
        {
            Refuse(ex);
        }
    }

    private void Refuse(ProblemException ex)
    {
        View = null;
        Refusal = ex.Detail;
        Response.StatusCode = ex.Status;
    }

    // The token is in this page's address: no other site may learn it from a Referer header.
    private void NoReferrer() => Response.Headers["Referrer-Policy"] = "no-referrer";
}
