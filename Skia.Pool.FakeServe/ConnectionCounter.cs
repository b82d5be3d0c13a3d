namespace Skia.Pool.FakeServe;

/// <summary>
/// How many TCP connections Kestrel has accepted since the process started, for <c>GET /connections</c>:
/// a test can see whether a proxy reused a connection (a readiness probe's, a pooled one) or made a new one.
/// </summary>
internal sealed class ConnectionCounter
{
    private long _accepted;

    public long Accepted => Interlocked.Read(ref _accepted);

    public void Count() => Interlocked.Increment(ref _accepted);
}
