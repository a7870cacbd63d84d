using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Meetings;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>Sends <see cref="RecordMeeting.Command"/>, exactly as POST /api/v1/households/{id}/meetings does.</summary>
public sealed class MeetingModel(IMediator mediator, CurrentUser me, TimeProvider time) : HouseholdFormPage(mediator)
{
    public sealed class InputModel
    {
        public DateOnly? Date { get; set; }
        public string? Kind { get; set; }
        public int? DurationMinutes { get; set; }
        public bool HouseholdPresent { get; set; }
        public bool IncludeMe { get; set; } = true;
        public List<Guid> OrganisationIds { get; set; } = [];
        public string? OtherParticipants { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Date"] = "Datum", ["Kind"] = "Soort overleg", ["DurationMinutes"] = "Duur in minuten",
        ["HouseholdPresent"] = "Huishouden aanwezig", ["Participants"] = "Deelnemers",
    };

    protected override string? FieldFor(string path) => path.StartsWith("Participants", StringComparison.Ordinal) ? "OtherParticipants" : null;

    protected override async Task LoadAsync(CancellationToken ct)
    {
        Organisations = (await Mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items
            .OrderBy(o => o.Name, StringComparer.CurrentCulture).ToList();
        Input.Date ??= Ui.Today(time);
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        var participants = new List<MeetingParticipant?>();
        if (Input.IncludeMe && me.IsKnown) participants.Add(new MeetingParticipant(null, me.Id, null));
        participants.AddRange(Input.OrganisationIds.Distinct().Select(o => (MeetingParticipant?)new MeetingParticipant(o, null, null)));
        participants.AddRange((Input.OtherParticipants ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(n => (MeetingParticipant?)new MeetingParticipant(null, null, n)));
        var created = await Mediator.Send(new RecordMeeting.Command(id, Input.Date, string.IsNullOrEmpty(Input.Kind) ? null : Input.Kind,
            Input.DurationMinutes, participants, Input.HouseholdPresent), token);
        return $"Het overleg is vastgelegd ({created.Participants.Count} deelnemers, {created.ProfessionalHours:0.##} professionele uren).";
    }, ct);
}
