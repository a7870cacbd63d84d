using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Plans;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// The family plan: adds a goal (<see cref="AddPlanGoal.Command"/>) or an action to a goal
/// (<see cref="AddPlanAction.Command"/>), exactly as the plan endpoints do.
/// </summary>
public sealed class PlanModel(IMediator mediator, TimeProvider time) : HouseholdFormPage(mediator)
{
    public sealed class GoalInput
    {
        public string? Domain { get; set; }
        public string? Description { get; set; }
    }

    public sealed class ActionInput
    {
        public Guid? GoalId { get; set; }
        public string? Description { get; set; }

        /// <summary>"coach" or an organisation id.</summary>
        public string? Owner { get; set; } = "coach";
        public DateOnly? DueOn { get; set; }
    }

    [BindProperty]
    public GoalInput Input { get; set; } = new();

    [BindProperty]
    public ActionInput ActionForm { get; set; } = new();

    public FamilyPlan Plan { get; private set; } = null!;
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    private bool _actionLabels;

    protected override IReadOnlyDictionary<string, string> Labels => _actionLabels ? ActionLabels : GoalLabels;

    private static readonly Dictionary<string, string> GoalLabels = new(StringComparer.Ordinal)
    {
        ["Domain"] = "Domein", ["Description"] = "Doel",
    };

    private static readonly Dictionary<string, string> ActionLabels = new(StringComparer.Ordinal)
    {
        ["GoalId"] = "Doel", ["Description"] = "Actie", ["Owner"] = "Uitvoerder", ["DueOn"] = "Uiterlijk op",
    };

    protected override string Prefix => _actionLabels ? nameof(ActionForm) : nameof(Input);

    protected override string? FieldFor(string path) =>
        _actionLabels && path.StartsWith("Owner", StringComparison.Ordinal) ? "Owner" : null;

    protected override async Task LoadAsync(CancellationToken ct)
    {
        Plan = await Mediator.Send(new GetFamilyPlan.Query(Household.Id), ct);
        Organisations = (await Mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items
            .OrderBy(o => o.Name, StringComparer.CurrentCulture).ToList();
        ActionForm.DueOn ??= Ui.Today(time).AddDays(14);
    }

    public async Task<IActionResult> OnPostGoalAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        await Mediator.Send(new AddPlanGoal.Command(id, Input.Domain, Input.Description?.Trim()), token);
        return $"Het doel voor {Ui.Domain(Input.Domain ?? "").ToLowerInvariant()} is toegevoegd aan het gezinsplan.";
    }, ct, $"/huishoudens/{id}/plan");

    public async Task<IActionResult> OnPostActionAsync(Guid id, CancellationToken ct)
    {
        _actionLabels = true;
        return await SendAsync(id, async token =>
        {
            var owner = ActionForm.Owner == "coach"
                ? new AddPlanAction.OwnerInput("coach", null)
                : new AddPlanAction.OwnerInput("organisation", Guid.TryParse(ActionForm.Owner, out var org) ? org : null);
            await Mediator.Send(new AddPlanAction.Command(id, ActionForm.GoalId ?? Guid.Empty, ActionForm.Description?.Trim(), owner,
                ActionForm.DueOn), token);
            return "De actie is toegevoegd aan het gezinsplan.";
        }, ct, $"/huishoudens/{id}/plan");
    }
}
