using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>
/// Tests that need a system program (xvfb-run, chromium) skip with a reason on a developer's machine
/// that lacks it, and fail in CI (CI=true), where .ci/run installs it.
/// </summary>
internal static class Prerequisites
{
    public static void Require(params string[] programs)
    {
        var missing = programs.Where(p => CommandTemplate.FindExecutable(p) is null).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var message = $"needs {string.Join(", ", missing)} (apt-get install xvfb chromium; .ci/run installs them)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("In CI this test must not skip: it " + message);
        }

        Skip.If(true, "This test " + message);
    }
}
