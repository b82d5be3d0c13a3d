namespace Skia.Pool.Api.Endpoints;

/// <summary>The service's own page for people: a landing page with the "New instance" button.</summary>
internal static class PageEndpoints
{
    private const string Landing = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Skia.Pool</title>
          <style>
            body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #222; }
            button { font-size: 1.1rem; padding: .6rem 1.4rem; cursor: pointer; }
            p { line-height: 1.5; }
          </style>
        </head>
        <body>
          <h1>Skia.Pool</h1>
          <p>Each person gets a private instance of the debugger, behind a private URL.
             Keep that URL to yourself: it is the only key to your instance.</p>
          <form method="post" action="/instanceNew">
            <button type="submit" id="new-instance">New instance</button>
          </form>
        </body>
        </html>
        """;

    public static IEndpointRouteBuilder MapPageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => TypedResults.Content(Landing, "text/html; charset=utf-8"))
            .WithName("LandingPage")
            .WithSummary("The landing page with the New instance button")
            .WithTags("Pages")
            .Produces<string>(StatusCodes.Status200OK, "text/html");
        return app;
    }
}
