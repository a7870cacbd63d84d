namespace Frontlijn.Web.Infrastructure.Realtime;

public static class RealtimeSetup
{
    /// <summary>In-process SignalR by default; with <c>Redis:Configuration</c> set, Redis is the backplane across nodes.</summary>
    public static IServiceCollection AddFrontlijnRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        var signalR = services.AddSignalR(o => o.EnableDetailedErrors = false);
        // Which connection authenticated as whom, and what closes it (HubConnections.cs).
        services.AddSingleton<HubConnectionRegistry>();
        services.AddSingleton(sp => new HubRevocation(sp.GetRequiredService<HubConnectionRegistry>(),
            sp.GetRequiredService<Auth.UserCache>(), sp.GetService<Auth.UserCacheBus>()));
        services.AddHostedService<HubExpirySweep>();
        var redis = configuration["Redis:Configuration"];
        if (!string.IsNullOrWhiteSpace(redis)) AddRedisBackplane(signalR, redis);
        return services;
    }

    // Its own method, so that a process without Redis never loads StackExchange.Redis (see UserCacheSetup).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void AddRedisBackplane(Microsoft.AspNetCore.SignalR.ISignalRServerBuilder signalR, string redis) =>
        signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix =
            StackExchange.Redis.RedisChannel.Literal("frontlijn"));
}
