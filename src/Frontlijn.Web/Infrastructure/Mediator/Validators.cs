using FluentValidation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Frontlijn.Web.Infrastructure.Mediator;

/// <summary>
/// The input validators, registered by name (singletons, as <c>ValidationBehavior</c> expects them), instead of
/// FluentValidation's assembly scan (<c>AddValidatorsFromAssemblyContaining</c>). The scan calls
/// <c>Assembly.GetTypes()</c> on the service: it loads every one of its thousands of types (Razor pages, handlers,
/// closures, state machines) and with them every assembly their signatures name (MailKit, StackExchange.Redis, …),
/// before the first request, on every start (issue 12: start-up time and idle memory). Same registrations as the
/// scan made: the validator under <c>IValidator&lt;T&gt;</c> (added once) and under its own type.
/// A validator missing here is a test failure, not a silent gap: <c>ValidatorRegistrationTests</c> compares this list
/// with what the scan finds.
/// </summary>
public static class Validators
{
    public static IServiceCollection AddFrontlijnValidators(this IServiceCollection services)
    {
        Add<Features.Admin.Neighbourhoods.CreateNeighbourhood.Command, Features.Admin.Neighbourhoods.CreateNeighbourhood.Validator>(services);
        Add<Features.Admin.Neighbourhoods.PatchNeighbourhood.Command, Features.Admin.Neighbourhoods.PatchNeighbourhood.Validator>(services);
        Add<Features.Admin.Organisations.CreateOrganisation.Command, Features.Admin.Organisations.CreateOrganisation.Validator>(services);
        Add<Features.Admin.Organisations.PatchOrganisation.Command, Features.Admin.Organisations.PatchOrganisation.Validator>(services);
        Add<Features.Admin.Organisations.PutService.Command, Features.Admin.Organisations.PutService.Validator>(services);
        Add<Features.Admin.Teams.CreateTeam.Command, Features.Admin.Teams.CreateTeam.Validator>(services);
        Add<Features.Admin.Teams.PatchTeam.Command, Features.Admin.Teams.PatchTeam.Validator>(services);
        Add<Features.Admin.Users.CreateUser.Command, Features.Admin.Users.CreateUser.Validator>(services);
        Add<Features.Admin.Users.PatchUser.Command, Features.Admin.Users.PatchUser.Validator>(services);
        Add<Features.Assessments.RecordAssessment.Command, Features.Assessments.RecordAssessment.Validator>(services);
        Add<Features.Caseload.HandOverCaseload.Command, Features.Caseload.HandOverCaseload.Validator>(services);
        Add<Features.Consents.RecordConsent.Command, Features.Consents.RecordConsent.Validator>(services);
        Add<Features.Households.AddMember.Command, Features.Households.AddMember.Validator>(services);
        Add<Features.Households.AssignCoach.Command, Features.Households.AssignCoach.Validator>(services);
        Add<Features.Households.CloseHousehold.Command, Features.Households.CloseHousehold.Validator>(services);
        Add<Features.Households.AddressInput, Features.Households.AddressValidator>(services);
        Add<Features.Households.MemberInput, Features.Households.MemberValidator>(services);
        Add<Features.Households.MoveHousehold.Command, Features.Households.MoveHousehold.Validator>(services);
        Add<Features.Households.PatchMember.Command, Features.Households.PatchMember.Validator>(services);
        Add<Features.Households.RecordMemberDeparture.Command, Features.Households.RecordMemberDeparture.Validator>(services);
        Add<Features.Households.RegisterHousehold.Command, Features.Households.RegisterHousehold.Validator>(services);
        Add<Features.Households.ReopenHousehold.Command, Features.Households.ReopenHousehold.Validator>(services);
        Add<Features.Households.SearchHouseholdsByBsn.Command, Features.Households.SearchHouseholdsByBsn.Validator>(services);
        Add<Features.Involvements.EndInvolvement.Command, Features.Involvements.EndInvolvement.Validator>(services);
        Add<Features.Involvements.RegisterInvolvement.Command, Features.Involvements.RegisterInvolvement.Validator>(services);
        Add<Features.Mail.SetUserEmail.Command, Features.Mail.SetUserEmail.Validator>(services);
        Add<Features.Meetings.RecordMeeting.Command, Features.Meetings.RecordMeeting.Validator>(services);
        Add<Features.Objectives.SetTeamObjective.Command, Features.Objectives.SetTeamObjective.Validator>(services);
        Add<Features.Plans.AddPlanAction.Command, Features.Plans.AddPlanAction.Validator>(services);
        Add<Features.Plans.AddPlanGoal.Command, Features.Plans.AddPlanGoal.Validator>(services);
        Add<Features.Plans.ChangeGoalStatus.Command, Features.Plans.ChangeGoalStatus.Validator>(services);
        Add<Features.Plans.CompletePlanAction.Command, Features.Plans.CompletePlanAction.Validator>(services);
        Add<Features.Plans.ReviewFamilyPlan.Command, Features.Plans.ReviewFamilyPlan.Validator>(services);
        Add<Features.ReplyLinks.UseReplyLink.Command, Features.ReplyLinks.UseReplyLink.Validator>(services);
        Add<Features.Reports.SignOffOutcome.Command, Features.Reports.SignOffOutcome.Validator>(services);
        Add<Features.Requests.AssignRequest.Command, Features.Requests.AssignRequest.Validator>(services);
        Add<Features.Requests.ChangeRequestStatus.Command, Features.Requests.ChangeRequestStatus.Validator>(services);
        Add<Features.Requests.PostRequestMessage.Command, Features.Requests.PostRequestMessage.Validator>(services);
        Add<Features.Requests.SendRequest.Command, Features.Requests.SendRequest.Validator>(services);
        Add<Features.Residents.AddGoalNote.Command, Features.Residents.AddGoalNote.Validator>(services);
        Add<Features.Residents.SetPlanAgreement.Command, Features.Residents.SetPlanAgreement.Validator>(services);
        Add<Features.Rights.PlaceLegalHold.Command, Features.Rights.PlaceLegalHold.Validator>(services);
        Add<Features.Signals.SignalMemberInput, Features.Signals.SignalMemberValidator>(services);
        Add<Features.Signals.SubmitSignal.Command, Features.Signals.SubmitSignal.Validator>(services);
        Add<Features.Signals.TriageSignal.Command, Features.Signals.TriageSignal.Validator>(services);
        Add<Features.StandIns.SetStandIn.Command, Features.StandIns.SetStandIn.Validator>(services);
        Add<Features.Visits.PlanVisit.Command, Features.Visits.PlanVisit.Validator>(services);
        Add<Features.Visits.RecordVisitOutcome.Command, Features.Visits.RecordVisitOutcome.Validator>(services);
        Add<Features.Webhooks.AddWebhookSecret.Command, Features.Webhooks.AddWebhookSecret.Validator>(services);
        return services;
    }

    private static void Add<TMessage, TValidator>(IServiceCollection services)
        where TValidator : class, IValidator<TMessage>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidator<TMessage>, TValidator>());
        services.TryAdd(ServiceDescriptor.Singleton<TValidator, TValidator>());
    }
}
