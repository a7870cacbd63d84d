using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Plans;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// The family plan: adds a goal (<see cref="AddPlanGoal.Command"/>) or an action to a goal
/// (<see cref="AddPlanAction.Command"/>), changes a goal's status (<see cref="ChangeGoalStatus.Command"/>), marks an
/// action done (<see cref="CompletePlanAction.Command"/>) and records a review (<see cref="ReviewFamilyPlan.Command"/>),
/// exactly as the plan endpoints do. One page, one form per command; an error shows at the field of the goal or action
/// it is about.
/// </summary>
public sealed class PlanModel(IMediator mediator, TimeProvider time, PlanSettings settings) : HouseholdFormPage(mediator)
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

    public sealed class StatusInput
    {
        public Guid? GoalId { get; set; }
        public string? Status { get; set; }
    }

    public sealed class DoneInput
    {
        public Guid? GoalId { get; set; }
        public Guid? ActionId { get; set; }
        public DateOnly? DoneOn { get; set; }
    }

    public sealed class ReviewInput
    {
        public DateOnly? NextReviewOn { get; set; }
    }

    [BindProperty]
    public GoalInput Input { get; set; } = new();

    [BindProperty]
    public StatusInput StatusForm { get; set; } = new();

    [BindProperty]
    public DoneInput DoneForm { get; set; } = new();

    [BindProperty]
    public ReviewInput ReviewForm { get; set; } = new();

    public DateOnly Today => Ui.Today(time);

    public int ReviewIntervalMonths => settings.ReviewIntervalMonths;

    [BindProperty]
    public ActionInput ActionForm { get; set; } = new();

    public FamilyPlan Plan { get; private set; } = null!;
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    /// <summary>Which form was sent: its labels and the prefix its errors go under.</summary>
    private string _form = nameof(Input);

    protected override IReadOnlyDictionary<string, string> Labels => _form switch
    {
        nameof(ActionForm) => ActionLabels,
        nameof(StatusForm) => StatusLabels,
        nameof(DoneForm) => DoneLabels,
        nameof(ReviewForm) => ReviewLabels,
        _ => GoalLabels,
    };

    private static readonly Dictionary<string, string> GoalLabels = new(StringComparer.Ordinal)
    {
        ["Domain"] = "Domein", ["Description"] = "Doel",
    };

    private static readonly Dictionary<string, string> ActionLabels = new(StringComparer.Ordinal)
    {
        ["GoalId"] = "Doel", ["Description"] = "Actie", ["Owner"] = "Uitvoerder", ["DueOn"] = "Uiterlijk op",
    };

    private static readonly Dictionary<string, string> StatusLabels = new(StringComparer.Ordinal) { ["Status"] = "Status" };

    private static readonly Dictionary<string, string> DoneLabels = new(StringComparer.Ordinal) { ["DoneOn"] = "Gedaan op" };

    private static readonly Dictionary<string, string> ReviewLabels = new(StringComparer.Ordinal) { ["NextReviewOn"] = "Volgende evaluatie" };

    protected override string Prefix => _form;

    protected override string? FieldFor(string path) =>
        _form == nameof(ActionForm) && path.StartsWith("Owner", StringComparison.Ordinal) ? "Owner" : null;

    /// <summary>
    /// Every goal has its own status select and every action its own date, all named alike: the one that was sent
    /// carries the id the error summary links to, the others an id of their own.
    /// </summary>
    public string StatusFieldId(Guid goalId) => StatusForm.GoalId == goalId ? "StatusForm_Status" : $"status-{goalId}";

    public string DoneFieldId(Guid actionId) => DoneForm.ActionId == actionId ? "DoneForm_DoneOn" : $"gedaan-{actionId}";

    public IEnumerable<string> ErrorsOf(string key) =>
        ModelState.TryGetValue(key, out var entry) ? entry.Errors.Select(e => e.ErrorMessage) : [];

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
        _form = nameof(ActionForm);
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

    public async Task<IActionResult> OnPostStatusAsync(Guid id, CancellationToken ct)
    {
        _form = nameof(StatusForm);
        return await SendAsync(id, async token =>
        {
            var goal = await Mediator.Send(new ChangeGoalStatus.Command(id, StatusForm.GoalId ?? Guid.Empty, StatusForm.Status), token);
            return goal.Status == GoalStatus.Open
                ? $"Het doel \u201c{goal.Description}\u201d is weer open."
                : $"Het doel \u201c{goal.Description}\u201d is {Ui.GoalStatus(goal.Status).ToLowerInvariant()}.";
        }, ct, $"/huishoudens/{id}/plan");
    }

    public async Task<IActionResult> OnPostDoneAsync(Guid id, CancellationToken ct)
    {
        _form = nameof(DoneForm);
        return await SendAsync(id, async token =>
        {
            var action = await Mediator.Send(new CompletePlanAction.Command(id, DoneForm.GoalId ?? Guid.Empty,
                DoneForm.ActionId ?? Guid.Empty, DoneForm.DoneOn), token);
            return $"De actie \u201c{action.Description}\u201d is gedaan op {Ui.Date(action.DoneOn)}.";
        }, ct, $"/huishoudens/{id}/plan");
    }

    public async Task<IActionResult> OnPostReviewAsync(Guid id, CancellationToken ct)
    {
        _form = nameof(ReviewForm);
        return await SendAsync(id, async token =>
        {
            var plan = await Mediator.Send(new ReviewFamilyPlan.Command(id, ReviewForm.NextReviewOn), token);
            return $"De evaluatie is vastgelegd. De volgende evaluatie is op {Ui.Date(plan.ReviewOn)}.";
        }, ct, $"/huishoudens/{id}/plan");
    }
}
