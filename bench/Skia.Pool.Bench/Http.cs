using System.Net;

namespace Skia.Pool.Bench;

/// <summary>Clients as a proxy's own would be: no proxy, no redirects, no decompression, no cookies.</summary>
internal static class Http
{
    public static HttpClient CreateClient(TimeSpan timeout) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(1),
    })
    {
        Timeout = timeout,
    };

    /// <summary>Sends a GET and reads the whole body, failing with the body's text on a status other than 2xx.</summary>
    public static async Task<byte[]> GetOkAsync(this HttpClient client, Uri url, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? body
            : throw new InvalidOperationException(
                $"GET {url} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 500)))}");
    }
}
