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

    private sealed record Entry(HubCallerContext Context, HubIdentity Identity, long RegisteredAt)
    {
        public Guid UserId => Identity.UserId;
        public Guid? SessionId => Identity.SessionId;
    }

    public int Count => _connections.Count;

    /// <summary>How many connections of this user are open here (operations, tests).</summary>
    public int CountOf(Guid userId) => _connections.Values.Count(e => e.UserId == userId);

    /// <summary>
    /// Records a connection that has just connected. When its user or session was closed after its request was
    /// authenticated (the close could not see it yet), it is closed at once.
    /// </summary>
    public void Add(HubCallerContext context, HubIdentity identity, long? requestStarted)
    {
        var (userId, sessionId) = (identity.UserId, identity.SessionId);
        var entry = new Entry(context, identity, Stopwatch.GetTimestamp());
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
        CloseWhere(e => e.Identity.ExpiresAt is { } at && e.Identity.Clock.GetUtcNow() >= at, "authentication expired");

    /// <summary>The identities of the connections registered before <paramref name="before"/> (Stopwatch).</summary>
    internal IReadOnlyList<HubIdentity> Identities(long before) =>
        _connections.Values.Where(e => e.RegisteredAt < before).Select(e => e.Identity).Distinct().ToList();

    /// <summary>
    /// Closes the connections registered before <paramref name="before"/> whose identity no longer holds (a read of the
    /// database that began at <paramref name="before"/> says so; a connection that came later may already have seen
    /// the newer row).
    /// </summary>
    internal int CloseStale(long before, Func<HubIdentity, bool> stale, string reason) =>
        CloseWhere(e => e.RegisteredAt < before && stale(e.Identity), reason);

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

}

/// <summary>
/// The identity a hub connection authenticated as: the user with the role, team and organisation its groups came from,
/// the session its cookie belongs to (none for a bearer token), and when that authentication ends, on the clock it
/// is measured on: a token's on the system clock (the bearer handler validates lifetimes on it), a cookie's on the
/// service's clock (the cookie handler's and the sessions').
/// </summary>
public sealed record HubIdentity(
    Guid UserId, string? Role, Guid? TeamId, Guid? OrganisationId, Guid? SessionId, DateTimeOffset? ExpiresAt, TimeProvider Clock)
{
    internal static HubIdentity? Of(HttpContext? http, ClaimsPrincipal user, TimeProvider serviceClock)
    {
        if (!Guid.TryParse(user.FindFirstValue(FrontlijnClaims.UserId), out var userId)) return null;
        var result = http?.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
        var bearer = result?.Ticket?.AuthenticationScheme == JwtBearerDefaults.AuthenticationScheme;
        return new HubIdentity(userId, user.FindFirstValue(ClaimTypes.Role),
            Guid.TryParse(user.FindFirstValue(FrontlijnClaims.TeamId), out var team) ? team : null,
            Guid.TryParse(user.FindFirstValue(FrontlijnClaims.OrganisationId), out var org) ? org : null,
            // Residents never get here (no user id: the hub's policy refuses them), so a session is a staff session.
            SessionStore.SessionId(user),
            result?.Properties?.ExpiresUtc, bearer ? TimeProvider.System : serviceClock);
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
/// Closes the hub connections whose authentication no longer holds, for what no request announces:
/// <list type="bullet">
/// <item>every <see cref="Interval"/>, in memory: a bearer token's <c>exp</c>, a cookie's absolute session limit
/// (Auth:SessionHours). SignalR's own CloseOnAuthenticationExpiration compares every expiry with the system clock,
/// while the cookie's is on the service's clock.</item>
/// <item>every <see cref="DatabaseInterval"/>, against the database: a cookie session that ended, lapsed (idle timeout)
/// or is gone, and a user who is deactivated, gone, or whose role, team or organisation differ from what the connection
/// joined its groups with: changes made outside the service (SQL), and closes a node missed while its Redis
/// subscription was down. Two small indexed reads per node, only for the users and sessions that have a connection.</item>
/// </list>
/// </summary>
public sealed class HubExpirySweep(
    HubConnectionRegistry registry, IServiceScopeFactory scopes, SessionSettings sessions, TimeProvider time,
    ILogger<HubExpirySweep> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DatabaseInterval = TimeSpan.FromSeconds(10);

    // Dapper expands IN @ids into one parameter each; SQL Server takes at most 2100.
    private const int Chunk = 500;

    internal const string SessionsSql = """
        SELECT s.id, s.last_seen_at, s.expires_at, s.ended_at, u.deactivated_at
        FROM auth_sessions s
        JOIN users u ON u.id = s.user_id
        WHERE s.id IN @ids
        """;

    internal const string UsersSql = """
        SELECT id, role, team_id, organisation_id, deactivated_at
        FROM users
        WHERE id IN @ids
        """;

    private sealed record SessionRow
    {
        public Guid Id { get; init; }
        public DateTimeOffset LastSeenAt { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
        public DateTimeOffset? DeactivatedAt { get; init; }
    }

    private sealed record UserRow
    {
        public Guid Id { get; init; }
        public string Role { get; init; } = "";
        public Guid? TeamId { get; init; }
        public Guid? OrganisationId { get; init; }
        public DateTimeOffset? DeactivatedAt { get; init; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var lastDatabaseCheck = Stopwatch.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var closed = registry.CloseExpired();
                if (closed > 0) logger.LogDebug("Closed {Count} hub connections whose authentication expired", closed);
                if (Stopwatch.GetElapsedTime(lastDatabaseCheck) < DatabaseInterval || registry.Count == 0) continue;
                lastDatabaseCheck = Stopwatch.GetTimestamp();
                try
                {
                    await CheckDatabaseAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // An outage: the connections stay as they are until the next round (requests get 503 meanwhile).
                    logger.LogWarning(ex, "Hub connections: could not check sessions and users against the database");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    internal async Task CheckDatabaseAsync(CancellationToken ct)
    {
        var before = Stopwatch.GetTimestamp();
        var identities = registry.Identities(before);
        if (identities.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.DbSession>();

        var sessionIds = identities.Where(i => i.SessionId is not null).Select(i => i.SessionId!.Value).Distinct().ToList();
        var sessionRows = new Dictionary<Guid, SessionRow>();
        foreach (var chunk in sessionIds.Chunk(Chunk))
        {
            foreach (var row in await db.QueryAsync<SessionRow>(SessionsSql, new { ids = chunk }, ct)) sessionRows[row.Id] = row;
        }
        var userRows = new Dictionary<Guid, UserRow>();
        foreach (var chunk in identities.Select(i => i.UserId).Distinct().Chunk(Chunk))
        {
            foreach (var row in await db.QueryAsync<UserRow>(UsersSql, new { ids = chunk }, ct)) userRows[row.Id] = row;
        }
        await db.ReleaseConnectionAsync();

        var now = time.GetUtcNow();
        var sessionSet = sessionIds.ToHashSet();
        var closed = registry.CloseStale(before, identity =>
            identity.SessionId is { } sid && sessionSet.Contains(sid) &&
            (!sessionRows.TryGetValue(sid, out var s) || s.EndedAt is not null || s.DeactivatedAt is not null ||
             sessions.Lapsed(now, s.ExpiresAt, s.LastSeenAt) is not null),
            "session ended, lapsed or gone");
        closed += registry.CloseStale(before, identity =>
            !userRows.TryGetValue(identity.UserId, out var u) || u.DeactivatedAt is not null || u.Role != identity.Role ||
            u.TeamId != identity.TeamId || u.OrganisationId != identity.OrganisationId,
            "user deactivated, changed or gone");
        if (closed > 0) logger.LogInformation("Closed {Count} hub connections whose session or user no longer holds", closed);
    }
}
