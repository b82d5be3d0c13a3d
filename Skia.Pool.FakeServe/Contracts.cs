namespace Skia.Pool.FakeServe;

// The JSON bodies of the routes, kept together (against the one-type-per-file habit) so that the wire
// contract reads in one place. FakeServeJsonContext generates their serializers.

/// <summary><c>GET /info</c>: what skiaserve reports about the picture it holds.</summary>
internal sealed record InfoResponse(int Version, int Width, int Height, UploadView? Upload);

/// <summary>The current upload as <c>/info</c> shows it.</summary>
internal sealed record UploadView(string Name, long Bytes, string Sha256);

/// <summary>One entry of <c>GET /cmd</c>, a stand-in for a drawing command of the picture.</summary>
internal sealed record CommandView(string Command, bool Visible);

/// <summary><c>GET /whoami</c>: which process answered, so tests can tell instances apart.</summary>
internal sealed record WhoAmI(int Pid, int Port, DateTime StartedAt);

/// <summary><c>GET /connections</c>: how many TCP connections the process has accepted, to see a proxy reuse one.</summary>
internal sealed record ConnectionStats(long Accepted);

/// <summary><c>ANY /echo/...</c>: the request exactly as it arrived, to test a proxy's forwarding.</summary>
internal sealed record EchoResponse(
    string Protocol,
    string Method,
    string RawTarget,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string[]> Headers,
    long BodyBytes,
    string BodySha256);

/// <summary><c>GET /slow-stats</c>: how the slow streams ended, to see a proxy pass a client's disconnect on.</summary>
internal sealed record SlowStreamStats(int Started, int Aborted, int Completed);
