namespace Skia.Pool.Infrastructure.Http;

/// <summary>Why a relayed response body stopped short.</summary>
public enum BodyCopyFailure
{
    None,

    /// <summary>The instance closed, reset or sent a malformed body.</summary>
    Instance,

    /// <summary>The client went away or its connection failed.</summary>
    Client,

    /// <summary>Nothing moved for the activity timeout.</summary>
    TimedOut,
}
