using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Skia.Pool.Api.Problems;
using Skia.Pool.Domain;

namespace Skia.Pool.Api.Security;

/// <summary>
/// <c>POST /instanceNew</c> is rate-limited per client address with ASP.NET Core's rate limiter: a fixed
/// window of one minute holding <c>Pool:CreatePerMinutePerClient</c> permits (0: no limit). A refused
/// request gets 429 with <c>Retry-After</c> (the time until the window ends).
/// </summary>
internal static class CreationRateLimit
{
    public const string Policy = "create-per-client";

    public static IServiceCollection AddCreationRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<PoolOptions>>((limiter, pool) =>
        {
            var perMinute = pool.Value.CreatePerMinutePerClient;
            limiter.AddPolicy(Policy, context => perMinute == 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            limiter.OnRejected = (rejected, _) =>
            {
                TimeSpan? retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
                return new ValueTask(ProblemResults.RateLimited(retryAfter, perMinute).ExecuteAsync(rejected.HttpContext));
            };
        });
        return services;
    }
}
