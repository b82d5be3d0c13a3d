namespace Skia.Pool.Api.Security;

/// <summary>The outcome of <see cref="AdminAccess.Decide"/>.</summary>
internal enum AdminDecision
{
    Allowed,

    /// <summary>A token is configured and the request did not present it: 401.</summary>
    NeedsToken,

    /// <summary>No token is configured and the client is not on loopback: 403.</summary>
    NotLoopback,
}
