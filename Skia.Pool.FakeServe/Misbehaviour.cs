namespace Skia.Pool.FakeServe;

/// <summary>The deliberate faults behind the test switches: chatter on stderr and exits at awkward moments.</summary>
internal static class Misbehaviour
{
    public static void WriteStderrLines(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            Console.Error.WriteLine($"fakeserve: stderr line {i}");
        }
    }

    /// <summary>Writes the last words of a deliberate exit, so that log capture can be tested too.</summary>
    public static void AnnounceExit(int code) => Console.Error.WriteLine($"fakeserve: exiting with code {code}");

    /// <summary>Ends the process after <paramref name="after"/>, wherever it is: starting, waiting or serving.</summary>
    public static void ScheduleExit(TimeSpan after, int code) => _ = ExitLaterAsync(after, code);

    /// <summary>
    /// Ends the process at once without a graceful shutdown, as a crash would: in-flight requests are cut off.
    /// Environment.Exit rather than FailFast, which would dump a stack trace and a core and lose the exit code.
    /// </summary>
    public static void ExitNow(int code)
    {
        AnnounceExit(code);
        Environment.Exit(code);
    }

    private static async Task ExitLaterAsync(TimeSpan after, int code)
    {
        await Task.Delay(after, TimeProvider.System);
        ExitNow(code);
    }
}
