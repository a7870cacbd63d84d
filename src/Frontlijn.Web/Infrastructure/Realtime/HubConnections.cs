using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Claims;
using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.SignalR;

namespace Frontlijn.Web.Infrastructure.Realtime;

/// <summary>
/// The hub connections open on this node, with the identity each one authenticated as. A SignalR connection is
/// authenticated once, at connect, and then joins its user's, team's and organisation's groups: without this it kept
/// receiving pushes for that identity after sign-out, deactivation or a move to another team, until the client hung
/// up. Whatever ends that identity closes (<see cref="HubCallerContext.Abort"/>) its connections through here:
/// <see cref="HubRevocation"/> for the service's own changes (on every node), <see cref="HubExpirySweep"/> for the
/// expiry of the token or cookie the connection was opened with.
/// </summary>
public sealed class HubConnectionRegistry(ILogger<HubConnectionRegistry> logger)
{
    /// <summary>HttpContext item: when (Stopwatch) the hub request began, before it was authenticated.</summary>
    internal const string RequestStartedItem = "frontlijn:hub-request-started";

    // How long a close is remembered against connections that authenticated before it but register after it.
    // Far longer than authentication plus the SignalR handshake; HandshakeTimeout is 15 s.
    private static readonly TimeSpan RaceWindow = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, long> _closedUsers = new();
    private readonly ConcurrentDictionary<Guid, long> _closedSessions = new();

    private sealed record Entry(HubCallerContext Context, Guid UserId, Guid? SessionId, DateTimeOffset? ExpiresAt, TimeProvider Clock);

    public int Count => _connections.Count;

    /// <summary>How many connections of this user are open here (operations, tests).</summary>
    public int CountOf(Guid userId) => _connections.Values.Count(e => e.UserId == userId);

    /// <summary>
    /// Records a connection that has just connected. When its user or session was closed after its request was
    /// authenticated (the close could not see it yet), it is closed at once.
    /// </summary>
    public void Add(HubCallerContext context, Guid userId, Guid? sessionId, DateTimeOffset? expiresAt, TimeProvider clock, long? requestStarted)
    {
        var entry = new Entry(context, userId, sessionId, expiresAt, clock);
        _connections[context.ConnectionId] = entry;
        // After the add: a close either runs after it (and sees the entry) or recorded its time before (seen here).
        var started = requestStarted ?? Stopwatch.GetTimestamp();
        if ((_closedUsers.TryGetValue(userId, out var userClosed) && userClosed >= started) ||
            (sessionId is { } sid && _closedSessions.TryGetValue(sid, out var sessionClosed) && sessionClosed >= started))
        {
            Abort(entry, "closed while it was connecting");
        }
    }

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>Closes every connection of the user on this node (deactivated, or role, team or organisation changed).</summary>
    public int CloseUser(Guid userId)
    {
        Remember(_closedUsers, userId);
        return CloseWhere(e => e.UserId == userId, "user changed or deactivated");
    }

    /// <summary>Closes every connection opened with this (staff or resident) session on this node.</summary>
    public int CloseSession(Guid sessionId)
    {
        Remember(_closedSessions, sessionId);
        return CloseWhere(e => e.SessionId == sessionId, "session ended");
    }

    /// <summary>Closes the connections whose token or cookie has expired, each on the clock that issued it.</summary>
    public int CloseExpired() =>
        CloseWhere(e => e.ExpiresAt is { } at && e.Clock.GetUtcNow() >= at, "authentication expired");

    private int CloseWhere(Func<Entry, bool> match, string reason)
    {
        var closed = 0;
        foreach (var (_, entry) in _connections)
        {
            if (!match(entry)) continue;
            Abort(entry, reason);
            closed++;
        }
        return closed;
    }

    private void Abort(Entry entry, string reason)
    {
        _connections.TryRemove(KeyValuePair.Create(entry.Context.ConnectionId, entry));
        logger.LogInformation("Hub connection {ConnectionId} of user {UserId} closed: {Reason}", entry.Context.ConnectionId, entry.UserId, reason);
        entry.Context.Abort();
    }

    private static void Remember(ConcurrentDictionary<Guid, long> closed, Guid id)
    {
        var now = Stopwatch.GetTimestamp();
        closed[id] = now;
        // Keep the memory small: what is older than the race window can no longer matter.
        if (closed.Count > 1000)
        {
            foreach (var (key, at) in closed)
            {
                if (Stopwatch.GetElapsedTime(at, now) > RaceWindow) closed.TryRemove(KeyValuePair.Create(key, at));
            }
        }
    }

    /// <summary>
    /// The identity a hub connection authenticated as: the user, the session its cookie belongs to (none for a
    /// bearer token), and when that authentication ends. A token's end is measured on the system clock (the bearer
    /// handler validates its lifetime on it), a cookie's on the service's clock (the cookie handler's and the sessions').
    /// </summary>
    internal static (Guid? UserId, Guid? SessionId, DateTimeOffset? ExpiresAt, bool Bearer) Describe(HttpContext? http, ClaimsPrincipal user)
    {
        var userId = Guid.TryParse(user.FindFirstValue(FrontlijnClaims.UserId), out var id) ? id : (Guid?)null;
        var sessionId = SessionStore.SessionId(user) ?? ResidentDirectory.OwnSessionId(user);
        var result = http?.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
        var bearer = result?.Ticket?.AuthenticationScheme == JwtBearerDefaults.AuthenticationScheme;
        return (userId, sessionId, result?.Properties?.ExpiresUtc, bearer);
    }
}

/// <summary>
/// Closes hub connections when the service itself ends an identity, on this node and, with <c>Redis:Configuration</c>,
/// on every other node before the change's response is sent: the user cache's invalidation channel carries the close
/// and its confirmations (<see cref="UserCacheBus"/>), so a change waits for every node exactly like a cache
/// invalidation does.
/// </summary>
public sealed class HubRevocation(HubConnectionRegistry registry, UserCache cache, UserCacheBus? bus = null)
{
    /// <summary>
    /// The user was deactivated, or their role, team, organisation or external account changed: forgets them in every
    /// node's user cache and closes all their connections (cookie and bearer alike), so that a reconnect authenticates
    /// as the user is now. Call it after the change has committed.
    /// </summary>
    public async Task UserChangedAsync(Guid userId, CancellationToken ct = default)
    {
        cache.InvalidateLocal(userId);
        registry.CloseUser(userId);
        if (bus is not null) await bus.PublishAsync(UserCacheBus.UserClosed(userId), ct);
    }

    /// <summary>A (staff or resident) session ended: closes the connections opened with its cookie, on every node.</summary>
    public async Task SessionEndedAsync(Guid sessionId, CancellationToken ct = default)
    {
        registry.CloseSession(sessionId);
        if (bus is not null) await bus.PublishAsync(UserCacheBus.SessionClosed(sessionId), ct);
    }
}

/// <summary>
/// Every <see cref="Interval"/>, closes the hub connections whose authentication has run out: a bearer token's
/// <c>exp</c>, a cookie's absolute session limit (Auth:SessionHours). SignalR's own CloseOnAuthenticationExpiration
/// does the same, but compares every expiry with the system clock, while the cookie's is on the service's clock.
/// </summary>
public sealed class HubExpirySweep(HubConnectionRegistry registry, ILogger<HubExpirySweep> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var closed = registry.CloseExpired();
                if (closed > 0) logger.LogDebug("Closed {Count} hub connections whose authentication expired", closed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
