using Microsoft.Extensions.Options;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Api.Health;

/// <summary>
/// Whether the service can start instances now: the configured command exists and may be executed, the
/// service is not shutting down, and not every slot's port is held by a foreign process. A full pool is
/// still ready: its users' instances keep answering, and a new id gets 503 with Retry-After on its own.
/// </summary>
internal sealed class ServiceReadiness(IOptions<PoolOptions> options, InstanceManager instances)
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Null when ready; otherwise why not, naming the setting to look at.</summary>
    public string? WhyNotReady()
    {
        var executable = CommandTemplate.FindConfiguredExecutable(options.Value, AppContext.BaseDirectory);
        if (executable is null)
        {
            var (command, _) = CommandTemplate.Resolve(options.Value, AppContext.BaseDirectory);
            return $"The instance command '{command}' was not found (Pool:Command).";
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(executable) & AnyExecute) == 0)
        {
            return $"The instance command '{executable}' is not executable (Pool:Command).";
        }

        if (!instances.AcceptsStarts)
        {
            return "The service is shutting down.";
        }

        return instances.BlockedSlots().Count >= options.Value.MaxInstances
            ? "Every slot's port is held by another process (Pool:StartPort, Pool:MaxInstances)."
            : null;
    }
}
