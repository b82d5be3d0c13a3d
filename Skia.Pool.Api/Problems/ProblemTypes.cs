namespace Skia.Pool.Api.Problems;

/// <summary>
/// The stable <c>type</c> of every problem this service answers with (RFC 9457). Clients may switch on
/// these; they never change meaning. Each is described in docs/problems.md.
/// </summary>
internal static class ProblemTypes
{
    private const string Base = "urn:skia-pool:problem:";

    public const string UnknownInstance = Base + "unknown-instance";
    public const string PoolFull = Base + "pool-full";
    public const string StartFailed = Base + "start-failed";
    public const string NotReady = Base + "not-ready";
    public const string BodyTooLarge = Base + "body-too-large";
    public const string Upstream = Base + "upstream-error";
    public const string NotFound = Base + "not-found";
    public const string BadRequest = Base + "bad-request";
    public const string MethodNotAllowed = Base + "method-not-allowed";
    public const string Unauthorized = Base + "unauthorized";
    public const string Forbidden = Base + "forbidden";
    public const string CrossSite = Base + "cross-site-request";
    public const string RateLimited = Base + "rate-limited";
    public const string TooManyInstances = Base + "too-many-instances";
    public const string ServiceNotReady = Base + "service-not-ready";
    public const string Internal = Base + "internal-error";
}
