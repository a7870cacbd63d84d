using System.Collections.Concurrent;
using System.Globalization;
using Frontlijn.Web.Infrastructure.Realtime;
using StackExchange.Redis;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// Carries user-cache invalidations between the nodes of one installation over Redis pub/sub (only with
/// <c>Redis:Configuration</c>, the same server as the SignalR backplane; its own connection, so the backplane's
/// connection is left exactly as SignalR manages it). Synchronous in effect: the node that changed a user publishes
/// the invalidation and waits until every other subscribed node has confirmed that it dropped the entry (at most
/// <see cref="AckTimeout"/>), so the change's response is not sent while another node could still let the old role
/// or an active status through. A node that is not subscribed (Redis unreachable, starting, reconnecting) serves no
/// user from memory at all (<see cref="IsListening"/>), and forgets everything when its subscription comes back:
/// it may have missed invalidations meanwhile.
/// The same channel, with the same confirmations, closes hub connections on every node (<see cref="HubRevocation"/>):
/// a user whose identity changed (the cache entry goes too), or a session that ended. It is therefore there with
/// <c>Redis:Configuration</c> even when the cache itself is off.
/// </summary>
public sealed class UserCacheBus(string configuration, ILogger<UserCacheBus> logger, HubConnectionRegistry? connections = null)
    : IHostedService, IAsyncDisposable
{
    // The message's subject: "*" (forget everyone), a user id (forget that user), or one of these prefixes and an id.
    private const string UserClosedPrefix = "user-closed:";
    private const string SessionClosedPrefix = "session-closed:";

    internal static string UserInvalidated(Guid? userId) => userId is { } u ? u.ToString() : "*";
    internal static string UserClosed(Guid userId) => UserClosedPrefix + userId;
    internal static string SessionClosed(Guid sessionId) => SessionClosedPrefix + sessionId;

    // Not static fields of this class: a static field of a Redis struct type would load StackExchange.Redis as soon as
    // this type is named (HubRevocation asks the container for it), also in a process without Redis (idle memory).
    private static class Channels
    {
        internal static readonly RedisChannel Invalidations = RedisChannel.Literal("frontlijn:user-cache");
        internal static readonly RedisChannel Acks = RedisChannel.Literal("frontlijn:user-cache:ack");
    }

    /// <summary>How long a change waits for the other nodes' confirmations before it goes on (and logs a warning).</summary>
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(2);

    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private ConnectionMultiplexer? _redis;
    private volatile bool _subscribed;
    private UserCache? _cache;

    private sealed class Pending
    {
        public int Acks;
        public int Expected = int.MaxValue;
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Check()
        {
            if (Volatile.Read(ref Acks) >= Volatile.Read(ref Expected)) Done.TrySetResult();
        }
    }

    /// <summary>Subscribed to the invalidations right now (and so allowed to serve users from memory).</summary>
    public bool IsListening => _subscribed && _subscriber is { } subscriber && subscriber.IsConnected(Channels.Invalidations);

    private ISubscriber? _subscriber;
    private int _subscribing;

    internal void Attach(UserCache cache) => _cache = cache;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Keep retrying in the background when Redis is not there yet; until then the cache stays off.
        options.AbortOnConnectFail = false;
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        _subscriber = _redis.GetSubscriber();
        _redis.ConnectionFailed += (_, e) =>
        {
            _cache?.ClearLocal();
            logger.LogWarning("User cache: Redis connection lost ({FailureType}); users are read from the database until it is back",
                e.FailureType);
        };
        _redis.ConnectionRestored += (_, _) =>
        {
            // Invalidations published while we were away are lost: forget everything (IsListening is false meanwhile,
            // since the subscription's connection was down).
            _cache?.ClearLocal();
            if (!_subscribed) _ = SubscribeAsync();
            logger.LogInformation("User cache: Redis connection restored");
        };
        await SubscribeAsync();
    }

    private async Task SubscribeAsync()
    {
        if (Interlocked.Exchange(ref _subscribing, 1) == 1) return;
        try
        {
            await _subscriber!.SubscribeAsync(Channels.Invalidations, (_, message) => OnInvalidation(_subscriber, message));
            await _subscriber.SubscribeAsync(Channels.Acks, (_, message) => OnAck(message));
            _cache?.ClearLocal();
            _subscribed = true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Not fatal for the node: it reads every user from the database until the connection is restored.
            logger.LogWarning(ex, "User cache: could not subscribe to Redis; users are read from the database");
        }
        finally
        {
            Volatile.Write(ref _subscribing, 0);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscribed = false;
        return Task.CompletedTask;
    }

    /// <summary>Publishes the invalidation (a user, or everyone for null) and waits for the other nodes to confirm.</summary>
    internal Task PublishAsync(Guid? userId, CancellationToken ct) => PublishAsync(UserInvalidated(userId), ct);

    /// <summary>Publishes a message (<see cref="UserInvalidated"/>, <see cref="UserClosed"/>, <see cref="SessionClosed"/>)
    /// and waits for the other nodes to confirm that they acted on it.</summary>
    internal async Task PublishAsync(string subject, CancellationToken ct)
    {
        if (_redis is null) return;
        var id = Guid.NewGuid().ToString("N");
        var pending = new Pending();
        _pending[id] = pending;
        try
        {
            var receivers = await _redis.GetSubscriber().PublishAsync(Channels.Invalidations,
                $"{_node}|{id}|{subject}");
            // Every subscribed node counts, this one too (it does not confirm its own message).
            Volatile.Write(ref pending.Expected, (int)Math.Max(0, receivers - (_subscribed ? 1 : 0)));
            pending.Check();
            if (!pending.Done.Task.IsCompleted)
            {
                try
                {
                    await pending.Done.Task.WaitAsync(AckTimeout, ct);
                }
                catch (TimeoutException)
                {
                    logger.LogWarning(
                        "User cache: {Confirmed} of {Expected} other nodes confirmed an invalidation within {Timeout} s; the others forget it within Auth:UserCacheSeconds",
                        Volatile.Read(ref pending.Acks), pending.Expected, AckTimeout.TotalSeconds);
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The change is committed; the other nodes' entries end with Auth:UserCacheSeconds, and a node whose
            // Redis connection broke serves nothing from memory meanwhile.
            logger.LogWarning(ex, "User cache: could not publish an invalidation");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private void OnInvalidation(ISubscriber subscriber, RedisValue message)
    {
        var parts = ((string?)message ?? "").Split('|');
        if (parts.Length != 3 || parts[0] == _node) return;
        var subject = parts[2];
        if (subject == "*") _cache?.ClearLocal();
        else if (Guid.TryParse(subject, CultureInfo.InvariantCulture, out var userId)) _cache?.InvalidateLocal(userId);
        else if (subject.StartsWith(UserClosedPrefix, StringComparison.Ordinal) &&
                 Guid.TryParse(subject.AsSpan(UserClosedPrefix.Length), CultureInfo.InvariantCulture, out var closedUser))
        {
            // The entry first, so that the client's reconnect is authenticated from the row as it is now.
            _cache?.InvalidateLocal(closedUser);
            connections?.CloseUser(closedUser);
        }
        else if (subject.StartsWith(SessionClosedPrefix, StringComparison.Ordinal) &&
                 Guid.TryParse(subject.AsSpan(SessionClosedPrefix.Length), CultureInfo.InvariantCulture, out var closedSession))
        {
            connections?.CloseSession(closedSession);
        }
        else return;
        // Confirmed after the entry is gone; fire and forget (the publisher's wait is bounded).
        _ = subscriber.PublishAsync(Channels.Acks, $"{parts[0]}|{parts[1]}|{_node}", CommandFlags.FireAndForget);
    }

    private void OnAck(RedisValue message)
    {
        var parts = ((string?)message ?? "").Split('|');
        if (parts.Length != 3 || parts[0] != _node || !_pending.TryGetValue(parts[1], out var pending)) return;
        Interlocked.Increment(ref pending.Acks);
        pending.Check();
    }

    public async ValueTask DisposeAsync()
    {
        _subscribed = false;
        if (_redis is not null) await _redis.DisposeAsync();
    }
}
