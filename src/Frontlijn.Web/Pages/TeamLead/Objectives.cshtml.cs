using System.Globalization;
using System.Text.Json;
using FluentValidation;
using Frontlijn.Web.Features.Objectives;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>
/// The team's objectives (Plan-Do-Check-Act): GET /api/v1/teams/{id}/objectives drawn as a line per objective against
/// its target, with a table of the same figures, and the form that sends the same command as POST .../objectives.
/// On track or behind is the API's own per-month judgement (<see cref="ObjectiveMetrics.OnTrack"/>), and the page's
/// state of an objective is that of its latest complete month, which is the month the daily behind-alert judges.
/// </summary>
public sealed class ObjectivesModel(IMediator mediator, CurrentUser user, TimeProvider time) : PageModel
{
    public sealed class InputModel
    {
        public string? Metric { get; set; }

        /// <summary>As typed: "0,8", "2.5"; parsed here, the range is the command's rule.</summary>
        public string? Target { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<TeamObjective> Objectives { get; private set; } = [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Metric"] = "Maatstaf", ["Target"] = "Streefwaarde", ["From"] = "Van", ["To"] = "Tot en met",
    };

    /// <summary>The metric as a person reads it (the API's codes stay in the API).</summary>
    public static string MetricLabel(string metric) => metric switch
    {
        ObjectiveMetrics.AverageProvidersPerHousehold => "Gemiddeld aantal aanbieders per huishouden",
        ObjectiveMetrics.RequestsAnsweredOnTimeShare => "Aandeel verzoeken op tijd beantwoord",
        ObjectiveMetrics.HouseholdsImprovedAtClosureShare => "Aandeel huishoudens verbeterd bij afsluiting",
        ObjectiveMetrics.HouseholdsPerCoach => "Huishoudens per coach",
        _ => metric,
    };

    /// <summary>Shares as percentages ("80%"), the other metrics as numbers with two decimals ("2,25").</summary>
    public static string Value(string metric, double? value) => value is not { } v
        ? "—"
        : ObjectiveMetrics.IsShare(metric) ? Ui.Number(v * 100, 0) + "%" : Ui.Number(v, 2);

    public static string Month(string month) =>
        DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MMMM yyyy", Ui.Dutch);

    /// <summary>The latest complete month decides: null when there is none yet, or it has no figure.</summary>
    public static ObjectiveProgress.MonthProgress? Latest(TeamObjective objective) => objective.Progress.Count == 0 ? null : objective.Progress[^1];

    public string Chart(TeamObjective objective)
    {
        var share = ObjectiveMetrics.IsShare(objective.Metric);
        double? Shown(double? v) => v is { } x ? Math.Round(share ? x * 100 : x, 2) : null;
        return JsonSerializer.Serialize(new
        {
            type = "line", xTitle = "Maand", yTitle = share ? "Percentage" : MetricLabel(objective.Metric),
            labels = objective.Progress.Select(p => Month(p.Month)),
            datasets = new object[]
            {
                new { label = "Resultaat", data = objective.Progress.Select(p => Shown(p.Value)) },
                new { label = "Streefwaarde", data = objective.Progress.Select(_ => Shown(objective.Target)), dashed = true },
            },
        }, Json);
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (user.TeamId is null) return NotFound();
        // A sensible start: this month and the eleven after it.
        var today = Ui.Today(time);
        var from = new DateOnly(today.Year, today.Month, 1);
        Input = new InputModel { From = from, To = from.AddYears(1).AddDays(-1) };
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (user.TeamId is not { } teamId) return NotFound();
        double? target = null;
        if (!string.IsNullOrWhiteSpace(Input.Target))
        {
            var text = Input.Target.Trim().Replace('.', ',');
            if (double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, Ui.Dutch, out var parsed)) target = parsed;
            else ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.Target)}", "Geef de streefwaarde als getal, zoals 0,8 of 2,5.");
        }
        if (ModelState.IsValid)
        {
            try
            {
                var created = await mediator.Send(new SetTeamObjective.Command(teamId, string.IsNullOrEmpty(Input.Metric) ? null : Input.Metric,
                    target, Input.From, Input.To), ct);
                TempData["Melding"] = $"Het teamdoel '{MetricLabel(created.Metric)}' is vastgelegd.";
                return RedirectToPage();
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Input), Labels);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Objectives = (await mediator.Send(new ListTeamObjectives.Query(user.TeamId!.Value), ct)).Items
            .OrderByDescending(o => o.To).ThenByDescending(o => o.CreatedAt).ToList();
}
