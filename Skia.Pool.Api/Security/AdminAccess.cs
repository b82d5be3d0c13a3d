using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Skia.Pool.Api.Security;

/// <summary>
/// Who is an admin. With <c>Pool:AdminToken</c> set: a request carrying the token, either as
/// <c>Authorization: Bearer &lt;token&gt;</c> (scripts) or as the password of HTTP Basic (a browser's own
/// login prompt; the user name is ignored), compared in constant time. Without a token: loopback clients.
/// </summary>
internal static class AdminAccess
{
    public static AdminDecision Decide(HttpContext context, string? token)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.IsNullOrEmpty(token))
        {
            return Presented(context.Request) is { } given && SameSecret(given, token) ? AdminDecision.Allowed : AdminDecision.NeedsToken;
        }

        // The client, not merely the peer: behind a trusted local proxy every request comes from loopback.
        return ClientAddress.Resolve(context) is { } address && IPAddress.IsLoopback(address)
            ? AdminDecision.Allowed
            : AdminDecision.NotLoopback;
    }

    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? null : pair[(colon + 1)..];
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    // Hash both sides so the comparison takes the same time whatever the lengths.
    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
