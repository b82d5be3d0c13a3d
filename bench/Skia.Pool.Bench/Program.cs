namespace Skia.Pool.Bench;

/// <summary>
/// The measurements of bench/run.sh that wrk cannot take: cold starts, 1 GiB transfers with the service's
/// memory sampled alongside, and starting many instances. Each prints <c>RESULT key=value ...</c> lines on
/// stdout for run.sh to collect, and progress on stderr.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: Skia.Pool.Bench cold  --pool URL --fakeserve PATH --direct-port P [--count 50] [--warmup 2]
                                     [--child-env "NAME=value ..."]
               Skia.Pool.Bench large --pool URL --direct URL --pid PID [--bytes 1073741824] [--repeat 3]
                                     [--nginx URL --nginx-pids "PID ..."] [--chp URL --chp-pids "PID ..."]
               Skia.Pool.Bench spawn --pool URL --count N --out FILE [--parallel 4] [--warm 0] [--warm-path bytes/1024]
               Skia.Pool.Bench report --results FILE
               Skia.Pool.Bench ceiling --listen PORT --backend PORT    (a bare socket relay; until SIGTERM)
          URL of --pool is the service root (http://127.0.0.1:18000); of --direct, a backend root; for large,
          --pool, --nginx and --chp are the roots that reach that backend through each (.../{id}).
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        if (CommandLine.TryParse(args[1..], out var error) is not { } options)
        {
            await Console.Error.WriteLineAsync($"bench: {error}\n{Usage}");
            return 2;
        }

        try
        {
            return args[0] switch
            {
                "cold" => await ColdStart.RunAsync(options),
                "large" => await LargeBodies.RunAsync(options),
                "spawn" => await Spawn.RunAsync(options),
                "report" => await Report.RunAsync(options),
                "ceiling" => await CeilingRelay.RunAsync(options),
                _ => Fail($"unknown command '{args[0]}'\n{Usage}"),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or HttpRequestException or IOException)
        {
            return Fail(e.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"bench: {message}");
        return 1;
    }
}
