using System.Net.Http.Headers;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>A <see cref="PoolServer"/> with <c>Pool:AdminToken</c> set, shared by the tests of one class.</summary>
public sealed class AdminTokenServer : IAsyncLifetime
{
    public const string Token = "test-admin-token";

    public PoolServer Server { get; private set; } = null!;

    /// <summary>A client that sends the admin token on every request.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    public async Task InitializeAsync() =>
        Server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__AdminToken"] = Token });

    public Task DisposeAsync() => Server.DisposeAsync();
}
