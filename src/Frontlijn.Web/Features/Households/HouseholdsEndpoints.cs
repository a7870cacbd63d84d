namespace Frontlijn.Web.Features.Households;

public static class HouseholdsEndpoints
{
    public static RouteGroupBuilder MapHouseholds(this RouteGroupBuilder api)
    {
        RegisterHousehold.Map(api);
        ListHouseholds.Map(api);
        GetHousehold.Map(api);
        AssignCoach.Map(api);
        GetCoachHistory.Map(api);
        GetStatusHistory.Map(api);
        CloseHousehold.Map(api);
        ReopenHousehold.Map(api);
        AddMember.Map(api);
        PatchMember.Map(api);
        RecordMemberDeparture.Map(api);
        MoveHousehold.Map(api);
        SearchHouseholdsByBsn.Map(api);
        return api;
    }
}
