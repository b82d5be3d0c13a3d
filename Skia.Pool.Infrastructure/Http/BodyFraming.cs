namespace Skia.Pool.Infrastructure.Http;

/// <summary>How the end of a response body is known (RFC 9112 6.3).</summary>
public enum BodyFraming
{
    /// <summary>No body: an answer to HEAD, a 204 or a 304.</summary>
    None,

    /// <summary>Exactly <c>Content-Length</c> bytes.</summary>
    ContentLength,

    /// <summary>Chunked transfer coding, decoded by the relay (Kestrel codes it again for the client).</summary>
    Chunked,

    /// <summary>Everything until the instance closes the connection.</summary>
    UntilClose,
}
