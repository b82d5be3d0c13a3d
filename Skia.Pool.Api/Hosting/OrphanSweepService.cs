using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Api.Hosting;

/// <summary>
/// Before the service takes requests, stop whatever instance processes a previous run left behind
/// (a run killed with SIGKILL cannot stop its instances). Registered first, so it runs first.
/// </summary>
internal sealed class OrphanSweepService(OrphanSweeper sweeper) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => sweeper.SweepAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
