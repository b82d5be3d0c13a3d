using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Skia.Pool.Api.Problems;
using Skia.Pool.Domain;

namespace Skia.Pool.Api.Security;

/// <summary>
/// Admin routes list every id, and an id is a credential. With <c>Pool:AdminToken</c> set they need
/// <c>Authorization: Bearer &lt;token&gt;</c> (compared in constant time); without it they answer
/// loopback clients only.
/// </summary>
internal sealed class AdminAccessFilter(IOptions<PoolOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var token = options.Value.AdminToken;
        if (!string.IsNullOrEmpty(token))
        {
            if (!HasBearer(http.Request, token))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return ProblemResults.Problem(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized,
                    "Admin token required", "Send Authorization: Bearer <Pool:AdminToken>.");
            }
        }
        else if (http.Connection.RemoteIpAddress is not { } address || !System.Net.IPAddress.IsLoopback(address))
        {
            return ProblemResults.Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden,
                "Admin routes answer loopback clients only", "Set Pool:AdminToken to allow admins from other addresses.");
        }

        return await next(context).ConfigureAwait(false);
    }

    private static bool HasBearer(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hash both sides so the comparison takes the same time whatever the lengths.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
