namespace Skia.Pool.Api.Security;

/// <summary>
/// Headers for the service's own responses (pages, JSON, problems): no sniffing, no framing by any page,
/// no Referer (the id, a credential, is in the URL). Responses proxied from an instance are left exactly
/// as the instance sent them: the proxy marks them (<see cref="MarkProxied"/>) before they start.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>What the service's own HTML pages allow: their own scripts and styles (inline styles too) and nothing else.</summary>
    public const string PagePolicy =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly object ProxiedKey = new();

    /// <summary>
    /// The headers of the service's own answers, as the middleware below sets them on one that has no
    /// policy of its own (the front writes them on its problems: docs/proxy.md).
    /// </summary>
    public static readonly (string Name, string Value)[] ForOwnAnswers =
    [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Content-Security-Policy", "frame-ancestors 'none'"),
    ];

    public static void MarkProxied(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ProxiedKey] = true;
    }

    /// <summary>The answer is the service's own after all (a problem in place of a broken answer): it gets the headers.</summary>
    public static void Unmark(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items.Remove(ProxiedKey);
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            if (!context.Items.ContainsKey(ProxiedKey))
            {
                var headers = context.Response.Headers;
                foreach (var (name, value) in ForOwnAnswers)
                {
                    // A page's own Content-Security-Policy is kept; the others are always these.
                    if (headers[name].Count == 0 || !name.Equals("Content-Security-Policy", StringComparison.Ordinal))
                    {
                        headers[name] = value;
                    }
                }
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
