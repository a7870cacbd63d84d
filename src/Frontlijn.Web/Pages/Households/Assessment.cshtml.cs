using Frontlijn.Web.Features.Assessments;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>Sends <see cref="RecordAssessment.Command"/>, exactly as POST /api/v1/households/{id}/assessments does.</summary>
public sealed class AssessmentModel(IMediator mediator, TimeProvider time) : HouseholdFormPage(mediator)
{
    public sealed class InputModel
    {
        public Guid? MemberId { get; set; }
        public string? Phase { get; set; } = "intake";
        public DateOnly? AssessedOn { get; set; }

        /// <summary>Score per domain code; an empty choice means "not assessed" and is not sent.</summary>
        public Dictionary<string, int?> Scores { get; set; } = new(StringComparer.Ordinal);
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["MemberId"] = "Lid", ["Phase"] = "Fase", ["AssessedOn"] = "Datum", ["Scores"] = "Scores",
    };

    /// <summary>"Scores.financien" (a wrong score) is shown at that domain's select.</summary>
    protected override string? FieldFor(string path) =>
        path.StartsWith("Scores.", StringComparison.Ordinal) ? $"Scores[{path["Scores.".Length..].ToLowerInvariant()}]" : null;

    protected override Task LoadAsync(CancellationToken ct)
    {
        Input.AssessedOn ??= Ui.Today(time);
        return Task.CompletedTask;
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        var scores = Input.Scores.Where(s => s.Value is not null && Zrm.IsDomain(s.Key))
            .ToDictionary(s => s.Key, s => s.Value!.Value, StringComparer.Ordinal);
        await Mediator.Send(new RecordAssessment.Command(id, Input.MemberId, Input.Phase, Input.AssessedOn, null, scores), token);
        return $"De ZRM-meting ({scores.Count} domeinen) is vastgelegd.";
    }, ct);
}
