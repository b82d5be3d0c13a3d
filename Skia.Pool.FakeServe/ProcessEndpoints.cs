using Microsoft.AspNetCore.Http.HttpResults;

namespace Skia.Pool.FakeServe;

/// <summary>Routes about the process itself: who it is, and ways to make it end, politely or not.</summary>
internal static class ProcessEndpoints
{
    /// <summary>Announced by <c>/crash-mid-response</c> and <c>/abort-mid-response</c>, of which only part is sent.</summary>
    private const int LargeResponseBytes = 1024 * 1024;

    private const int SentBeforeFailing = 64 * 1024;

    /// <summary>Like skiaserve when it crashes: the exit code says "not a clean stop".</summary>
    private const int CrashExitCode = 3;

    public static IEndpointRouteBuilder MapProcessEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/whoami", (WhoAmI whoAmI) => TypedResults.Ok(whoAmI));
        app.MapGet("/connections", (ConnectionCounter connections) => TypedResults.Ok(new ConnectionStats(connections.Accepted)));
        app.MapGet("/quitquitquit", Quit);
        app.MapGet("/crash-mid-response", CrashMidResponseAsync);
        app.MapGet("/abort-mid-response", AbortMidResponseAsync);
        app.Map("/drop", (HttpContext context) => context.Abort());
        return app;
    }

    private static ContentHttpResult Quit(HttpResponse response, IHostApplicationLifetime lifetime)
    {
        // Stop only once "bye" has reached the client; the host then shuts down and the process exits with 0.
        response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return TypedResults.Text("bye");
    }

    private static async Task CrashMidResponseAsync(HttpContext context)
    {
        await StartLargeResponseAsync(context.Response, context.RequestAborted);
        Misbehaviour.ExitNow(CrashExitCode);
    }

    private static async Task AbortMidResponseAsync(HttpContext context)
    {
        await StartLargeResponseAsync(context.Response, context.RequestAborted);
        context.Abort();
    }

    private static async Task StartLargeResponseAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "application/octet-stream";
        response.ContentLength = LargeResponseBytes;
        await BytePattern.WriteAsync(response.Body, SentBeforeFailing, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        // A flush hands the bytes to the transport, not yet to the socket: give it a moment, so that the
        // client really receives the headers and a partial body before the connection dies.
        await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, cancellationToken);
    }
}
