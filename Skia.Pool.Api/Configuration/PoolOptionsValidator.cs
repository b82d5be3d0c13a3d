using Microsoft.Extensions.Options;
using Skia.Pool.Domain;

namespace Skia.Pool.Api.Configuration;

/// <summary>Rules across keys of the <c>Pool</c> section; each message names the keys and quotes their values.</summary>
internal sealed class PoolOptionsValidator : IValidateOptions<PoolOptions>
{
    public ValidateOptionsResult Validate(string? name, PoolOptions options)
    {
        List<string> failures = [];
        if (options.MinFreeSlots >= options.MaxInstances)
        {
            failures.Add($"Pool:MinFreeSlots ({options.MinFreeSlots}) must be less than Pool:MaxInstances ({options.MaxInstances}).");
        }

        if ((long)options.StartPort + options.MaxInstances - 1 > 65_535)
        {
            failures.Add($"Pool:StartPort ({options.StartPort}) + Pool:MaxInstances ({options.MaxInstances}) - 1 must not exceed 65535.");
        }

        if (options.ReadinessMaxDelay > options.StartTimeout)
        {
            failures.Add($"Pool:ReadinessMaxDelay ({options.ReadinessMaxDelay}) must not exceed Pool:StartTimeout ({options.StartTimeout}).");
        }

        if (options.Arguments.Any(a => a is null))
        {
            failures.Add("Pool:Arguments must not contain empty entries; write \"\" for an empty argument.");
        }

        foreach (var address in options.TrustedProxies.Where(a => !System.Net.IPAddress.TryParse(a, out _)))
        {
            failures.Add($"Pool:TrustedProxies entry '{address}' is not an IP address.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
