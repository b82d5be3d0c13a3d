using Skia.Pool.Domain.Instances;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// Request paths carry the instance id, a credential, as their first segment. Before a path goes into a
/// span or a log it is cut to the id's short form: <c>/0f8fad5b…/info</c>.
/// </summary>
internal static class IdRedaction
{
    public static string Path(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length < 37 || path[0] != '/')
        {
            return path ?? "";
        }

        var end = path.IndexOf('/', 1);
        var segment = end < 0 ? path[1..] : path[1..end];
        return InstanceId.TryParse(segment, out var id)
            ? $"/{id.Short}…{(end < 0 ? "" : path[end..])}"
            : path;
    }

    /// <summary>
    /// A request's URL with the same cut: in base-URL mode (<c>Pool:StripPrefix=false</c>) the requests the
    /// proxy sends to an instance still carry the id in their path.
    /// </summary>
    public static string Url(Uri? url) =>
        url is null ? "" : url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + Path(url.PathAndQuery);
}
