using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Frontlijn.Web.Infrastructure.Realtime;

/// <summary>
/// Server → client only: method <c>notification</c>. Each connection joins the groups of its user, organisation and
/// team. The inbox (<c>GET /api/v1/notifications?after=</c>) is the source of truth; a reconnecting client catches up
/// there, so a push that did not arrive loses nothing.
/// The connection is recorded with the identity it authenticated as (<see cref="HubConnectionRegistry"/>), so that
/// sign-out, session end, deactivation, a change of role, team or organisation, and the end of its token or cookie
/// close it.
/// </summary>
[Authorize(Policy = Policies.KnownUser)]
public sealed class NotificationsHub(HubConnectionRegistry connections, TimeProvider time) : Hub
{
    public const string Path = "/hubs/notifications";
    public const string Method = "notification";

    public static string UserGroup(Guid userId) => $"user:{userId}";
    public static string OrganisationGroup(Guid organisationId) => $"org:{organisationId}";
    public static string TeamGroup(Guid teamId) => $"team:{teamId}";

    /// <summary>
    /// Answers once this connection is in its groups: SignalR runs invocations only after OnConnectedAsync, so a
    /// client that awaits this knows that pushes to its groups reach it from now on (the inbox covers the time before).
    /// </summary>
    public string Ready() => Context.ConnectionId;

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        if (Guid.TryParse(user.FindFirst(FrontlijnClaims.UserId)?.Value, out var userId))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(userId));
        }
        // The organisation group carries the organisation feed (one send per notification for its whole back office,
        // Features/Notifications/Notifier.cs): only that organisation's back-office users join it. Only back-office
        // users have an organisation today (Admin/Users), the role check keeps that true whatever the claims say.
        if (user.IsInRole(Roles.BackOffice) && Guid.TryParse(user.FindFirst(FrontlijnClaims.OrganisationId)?.Value, out var orgId))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, OrganisationGroup(orgId));
        }
        if (Guid.TryParse(user.FindFirst(FrontlijnClaims.TeamId)?.Value, out var teamId))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, TeamGroup(teamId));
        }
        var http = Context.GetHttpContext();
        if (HubIdentity.Of(http, user, time) is { } identity)
        {
            var started = http?.Items[HubConnectionRegistry.RequestStartedItem] as long?;
            // Registered after joining the groups: a close that comes in between still finds the connection (or, when
            // it came before, Add closes it), so no push for the old identity reaches it once the close has answered.
            connections.Add(Context, identity, started);
        }
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
