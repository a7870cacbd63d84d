using System.Collections.Concurrent;

namespace Frontlijn.Web.Infrastructure.Auth;

/// <summary>
/// <c>Auth:UserCacheSeconds</c> (default 30; 0 turns the cache off): how long this node may answer "who is this
/// token's user" (id, role, team, organisation, display name, active) from memory instead of the users table. It
/// bounds only changes made outside the service (an operator's SQL, a restore): every change the service itself makes
/// to a user invalidates the entry at once, on this node and, with <c>Redis:Configuration</c>, on every other node
/// before the change's response is sent (<see cref="UserCacheBus"/>).
/// </summary>
public sealed record UserCacheSettings(TimeSpan Lifetime)
{
    public bool Enabled => Lifetime > TimeSpan.Zero;

    public static UserCacheSettings FromConfiguration(IConfiguration configuration)
    {
        var seconds = configuration.GetValue("Auth:UserCacheSeconds", 30);
        if (seconds is < 0 or > 300)
        {
            // Longer than five minutes would make an operator's emergency change (SQL) wait too long to count.
            throw new InvalidOperationException($"Auth:UserCacheSeconds must be between 0 and 300 (was {seconds}).");
        }
        return new UserCacheSettings(TimeSpan.FromSeconds(seconds));
    }
}

/// <summary>
/// The users that <see cref="UserDirectory"/> looked up, per lookup key (demo: the username; oidc: issuer and subject),
/// so that a request does not ask the database who its caller is (issue 12: one of the two or three statements of a
/// caseload page). Correctness rules:
/// <list type="bullet">
/// <item>Only found users are kept (never "unknown"): a user created or bound later is found at once.</item>
/// <item><see cref="InvalidateAsync"/> (every service path that changes a user calls it after its commit) removes the
/// user's entries here and, through <see cref="UserCacheBus"/>, on every other node, and waits for them.</item>
/// <item>A lookup that began before an invalidation never stores what it read (the generation check in
/// <see cref="Store"/>): it may have read the row as it was before the change committed.</item>
/// <item>With scale-out configured and the Redis connection down, nothing is served from memory (an invalidation could
/// be missed), and everything is forgotten when it comes back.</item>
/// </list>
/// </summary>
public sealed class UserCache(UserCacheSettings settings, TimeProvider time, ILogger<UserCache> logger, UserCacheBus? bus = null)
{
    // Far more than an installation has users; a bound against a flood of distinct (valid) identities all the same.
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    private sealed record Entry(UserDirectory.UserRow User, DateTimeOffset ExpiresAt);

    /// <summary>Whether lookups may be answered from memory right now.</summary>
    public bool Serving => settings.Enabled && (bus is null || bus.IsListening);

    /// <summary>Taken before a lookup's read; <see cref="Store"/> refuses the result if an invalidation came in between.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public int Count => _entries.Count;

    public bool TryGet(string key, out UserDirectory.UserRow user)
    {
        user = null!;
        if (!Serving || !_entries.TryGetValue(key, out var entry)) return false;
        if (time.GetUtcNow() >= entry.ExpiresAt)
        {
            _entries.TryRemove(KeyValuePair.Create(key, entry));
            return false;
        }
        user = entry.User;
        return true;
    }

    public void Store(string key, UserDirectory.UserRow user, long generationBefore)
    {
        if (!Serving || Generation != generationBefore) return;
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[key] = new Entry(user, time.GetUtcNow() + settings.Lifetime);
        // An invalidation between the check above and the write: it may have run its removal before our write.
        if (Generation != generationBefore) _entries.TryRemove(key, out _);
    }

    /// <summary>
    /// Forgets this user on this node and every other node. Call it after the change has committed (a request that reads
    /// the old row before the commit cannot store it: <see cref="Store"/>).
    /// </summary>
    public async Task InvalidateAsync(Guid userId, CancellationToken ct = default)
    {
        InvalidateLocal(userId);
        if (bus is not null) await bus.PublishAsync(userId, ct);
    }

    /// <summary>Forgets everyone, on every node (after a change to many users outside the usual paths, e.g. a reset).</summary>
    public async Task ClearAsync(CancellationToken ct = default)
    {
        ClearLocal();
        if (bus is not null) await bus.PublishAsync((Guid?)null, ct);
    }

    internal void InvalidateLocal(Guid userId)
    {
        // First the generation (lookups in flight will not store), then the entries.
        Interlocked.Increment(ref _generation);
        foreach (var (key, entry) in _entries)
        {
            if (entry.User.Id == userId) _entries.TryRemove(KeyValuePair.Create(key, entry));
        }
    }

    internal void ClearLocal()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        logger.LogDebug("User cache cleared");
    }
}

public static class UserCacheSetup
{
    /// <summary>The user cache; with <c>Redis:Configuration</c> (scale-out) its invalidations travel over Redis.</summary>
    public static IServiceCollection AddFrontlijnUserCache(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = UserCacheSettings.FromConfiguration(configuration);
        services.AddSingleton(settings);
        var redis = configuration["Redis:Configuration"];
        // Also with the cache off: the bus closes hub connections on every node (Realtime/HubConnections.cs).
        if (!string.IsNullOrWhiteSpace(redis)) AddWithRedisBus(services, settings, redis);
        else
        {
            services.AddSingleton(sp => new UserCache(settings, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<UserCache>>()));
        }
        return services;
    }

    // Its own method: ready-to-run code resolves the types a method names when the method is first called, and this
    // branch names the Redis bus (and through it StackExchange.Redis). A process without Redis never calls it, so it
    // never loads that assembly (idle memory, docs/PERFORMANCE.md "Performance — 10").
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void AddWithRedisBus(IServiceCollection services, UserCacheSettings settings, string redis)
    {
        services.AddSingleton(sp => new UserCacheBus(redis, sp.GetRequiredService<ILogger<UserCacheBus>>(),
            sp.GetRequiredService<Realtime.HubConnectionRegistry>()));
        // The cache first, so that the bus has it to clear from its first message on.
        services.AddHostedService(sp =>
        {
            sp.GetRequiredService<UserCache>();
            return sp.GetRequiredService<UserCacheBus>();
        });
        services.AddSingleton(sp =>
        {
            var bus = sp.GetRequiredService<UserCacheBus>();
            var cache = new UserCache(settings, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<UserCache>>(), bus);
            bus.Attach(cache);
            return cache;
        });
    }
}
