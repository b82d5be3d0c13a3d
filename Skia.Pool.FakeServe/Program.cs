namespace Skia.Pool.FakeServe;

/// <summary>
/// FakeServe: a stand-in for skiaserve with the same routes, plus switches that make it misbehave on purpose,
/// so that the pool runs anywhere and its tests drive real processes.
/// </summary>
/// <remarks>
/// A class with Main rather than top-level statements: those would add a public global <c>Program</c>, which
/// would clash with the API's own <c>Program</c> in any project that references both.
/// </remarks>
internal static class Program
{
    private const int BadArguments = 2;
    private const int CannotListen = 1;

    public static async Task<int> Main(string[] args)
    {
        var startedAt = TimeProvider.System.GetUtcNow();
        if (FakeServeOptions.TryParse(args, out var error) is not { } options)
        {
            await Console.Error.WriteLineAsync($"fakeserve: {error}\n{FakeServeOptions.Usage}");
            return BadArguments;
        }

        if (options.ShowHelp)
        {
            await Console.Out.WriteLineAsync(FakeServeOptions.Usage);
            return 0;
        }

        Misbehaviour.WriteStderrLines(options.StderrLines);
        if (options.ExitAfter == TimeSpan.Zero)
        {
            Misbehaviour.AnnounceExit(options.ExitCode);
            return options.ExitCode;
        }

        if (options.ExitAfter is { } exitAfter)
        {
            Misbehaviour.ScheduleExit(exitAfter, options.ExitCode);
        }

        using var signals = new ShutdownSignals(options.IgnoreSigterm);
        if (options.NeverListen)
        {
            await signals.WaitAsync();
            return 0;
        }

        if (!await signals.DelayAsync(options.ListenDelay))
        {
            return 0;
        }

        if (options.RawHttp)
        {
            return await RawHttpServer.RunAsync(options, signals.Requested) ? 0 : CannotListen;
        }

        await using var app = FakeServeApp.Create(options, startedAt);
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"fakeserve: cannot listen on {options.Url}: {e.Message}");
            return CannotListen;
        }

        await Console.Out.WriteLineAsync($"fakeserve listening on {options.Url} pid {Environment.ProcessId}");
        await app.WaitForShutdownAsync(signals.Requested);
        return 0;
    }
}
