using System.Text;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>An instance gets its own environment: none of the service's secrets, and a temp folder of its own.</summary>
public sealed class InstanceEnvironmentTests
{
    [Fact]
    public async Task Launch_ServiceConfiguredThroughEnvironment_InstanceSeesNoPoolSettingsAndItsOwnTmpdir()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__AdminToken"] = "s3cret-admin-token" });
        using var client = server.CreateClient();
        using var admin = server.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", "s3cret-admin-token");
        var id = await client.CreateInstanceAsync();
        var pid = await client.WhoAmIAsync(id);

        var environment = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"/proc/{pid}/environ")).Split('\0');

        environment.Should().NotContain(v => v.Contains("s3cret-admin-token", StringComparison.Ordinal));
        environment.Should().NotContain(v => v.StartsWith("Pool__", StringComparison.OrdinalIgnoreCase));
        var tmpdir = environment.Single(v => v.StartsWith("TMPDIR=", StringComparison.Ordinal))["TMPDIR=".Length..];
        tmpdir.Should().StartWith(server.StateDirectory);
        Directory.Exists(tmpdir).Should().BeTrue();

        using var restart = await admin.PostAsync(new Uri($"/instances/{id}/restart", UriKind.Relative), null);
        await Eventually.TrueAsync(() => !Directory.Exists(tmpdir), "an instance's temp folder goes with its process tree");
    }
}
