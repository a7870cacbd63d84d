using System.Text.RegularExpressions;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Requests;

namespace Frontlijn.UnitTests.Requests;

/// <summary>
/// Request creation sends statements of three writers in one command (branch creation2): one parameter list binds
/// them all, so a name shared by two of them must mean the same value in both. These are the names each part uses,
/// read from the SQL text itself.
/// </summary>
public sealed partial class SendRequestSqlTests
{
    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex Parameter();

    private static HashSet<string> Names(string sql) => Parameter().Matches(sql).Select(m => m.Groups[1].Value).ToHashSet();

    private static string RequestPart => SendRequest.InsertSql[..SendRequest.InsertSql.IndexOf(AccessLogWriter.InsertSql, StringComparison.Ordinal)];

    [Fact]
    public void TheRequestInserts_ShareNoParameterWithTheAccessLogRow()
    {
        Assert.EndsWith(AccessLogWriter.InsertSql, SendRequest.InsertSql, StringComparison.Ordinal);
        Assert.Empty(Names(RequestPart).Intersect(Names(AccessLogWriter.InsertSql)));
        Assert.Contains("requestId", Names(RequestPart));
    }

    [Fact]
    public void TheNotification_SharesOnlyTheRequestOrganisationAndHousehold_AndBringsItsOwnTypeTitleAndTime()
    {
        Assert.StartsWith(SendRequest.InsertSql, SendRequest.InsertAndNotifyBackOfficePostgres, StringComparison.Ordinal);
        Assert.EndsWith(Notifier.NotifyBackOfficePostgres, SendRequest.InsertAndNotifyBackOfficePostgres, StringComparison.Ordinal);
        var notify = Names(Notifier.NotifyBackOfficePostgres);
        // requestId and organisationId are the request's (the inserted request, its organisation), householdId the
        // access-log row's (the request's household): the values the notification is about.
        Assert.Equal(["organisationId", "requestId"], notify.Intersect(Names(RequestPart)).Order());
        Assert.Equal(["householdId"], notify.Intersect(Names(AccessLogWriter.InsertSql)).Order());
        Assert.Equal(["createdAt", "title", "type"],
            notify.Except(Names(RequestPart)).Except(Names(AccessLogWriter.InsertSql)).Order());
    }

    [Fact]
    public void TheAddresseeRead_SharesNoParameterWithTheLock()
    {
        Assert.StartsWith(HouseholdAccess.LockVisibleThenFind, SendRequest.LockThenReadAddressee, StringComparison.Ordinal);
        Assert.Empty(Names(SendRequest.AddresseeSql).Intersect(Names(HouseholdAccess.LockVisibleThenFind)));
    }
}
