using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Skia.Pool.Api.Contracts;
using Skia.Pool.Api.Pages;
using Skia.Pool.Api.Security;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Api.Endpoints;

/// <summary>
/// The service's own pages for people.
/// <code>
/// GET /                  landing page (New instance; a link to /admin for admins)
/// GET /admin             admin page (admin only)
/// GET /admin/rows        the admin table's rows, for the page's refresh (admin only)
/// GET /admin/admin.js    the admin page's script
/// </code>
/// </summary>
internal static class PageEndpoints
{
    private const string Html = "text/html; charset=utf-8";

    private static readonly Lazy<string> AdminScript = new(() =>
    {
        using var stream = typeof(PageEndpoints).Assembly.GetManifestResourceStream("admin.js")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IEndpointRouteBuilder MapPageEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Pages");

        group.MapGet("/", Landing)
            .WithName("LandingPage")
            .WithSummary("The landing page with the New instance button")
            .WithDescription("HTML for people. Shows a link to /admin when the request is an admin's.")
            .Produces<string>(StatusCodes.Status200OK, "text/html");

        var admin = group.MapGroup("/admin").AddEndpointFilter<AdminAccessFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapGet("", AdminPageHtml)
            .WithName("AdminPage")
            .WithSummary("The admin page: every instance, with stop and restart")
            .WithDescription("HTML for people: id, slot, state, pid, port, uptime, last use and memory (RSS of the instance's process "
                + "tree), refreshing itself every 2 s. Admin only (Pool:AdminToken as Bearer or Basic password; loopback without it).")
            .Produces<string>(StatusCodes.Status200OK, "text/html");

        admin.MapGet("/rows", AdminRows)
            .WithName("AdminPageRows")
            .WithSummary("The admin table's rows")
            .WithDescription("An HTML fragment (table rows) that the admin page's script swaps in on each refresh. Admin only.")
            .Produces<string>(StatusCodes.Status200OK, "text/html");

        group.MapGet("/admin/admin.js", AdminScriptJs)
            .WithName("AdminPageScript")
            .WithSummary("The admin page's script")
            .WithDescription("Refreshes the admin table and sends the stop and restart requests. Served by the service: the admin page "
                + "loads nothing from anywhere else. Holds no data, so it needs no admin check.")
            .Produces<string>(StatusCodes.Status200OK, "text/javascript");

        return app;
    }

    internal static ContentHttpResult Landing(HttpContext context, IOptions<PoolOptions> options)
    {
        context.Response.Headers.ContentSecurityPolicy = SecurityHeaders.PagePolicy;
        return TypedResults.Content(LandingPage.Render(AdminAccess.Decide(context, options.Value.AdminToken) == AdminDecision.Allowed), Html);
    }

    internal static ContentHttpResult AdminPageHtml(HttpContext context, InstanceManager instances, IClock clock)
    {
        context.Response.Headers.ContentSecurityPolicy = SecurityHeaders.PagePolicy;
        var now = clock.UtcNow;
        return TypedResults.Content(AdminPage.Render(InstanceViews.All(instances, now), now), Html);
    }

    internal static ContentHttpResult AdminRows(InstanceManager instances, IClock clock)
    {
        var now = clock.UtcNow;
        return TypedResults.Content(AdminPage.Rows(InstanceViews.All(instances, now), now), Html);
    }

    internal static ContentHttpResult AdminScriptJs() => TypedResults.Content(AdminScript.Value, "text/javascript; charset=utf-8");
}
