namespace Skia.Pool.Api.Security;

/// <summary>
/// The client a per-client limit counts against: its IP address as the service sees it. Behind a reverse
/// proxy that is the proxy's, unless forwarded headers are enabled (docs/operations.md).
/// </summary>
internal static class ClientAddress
{
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
