namespace Skia.Pool.Api.Pages;

/// <summary>The landing page: what this is, the New instance button, and for an admin a link to the admin page.</summary>
internal static class LandingPage
{
    private const string AdminLink = """<p class="admin"><a id="admin-link" href="/admin">Admin: running instances</a></p>""";

    public static string Render(bool isAdmin) => $$"""
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
            .admin { margin-top: 3rem; font-size: .9rem; }
          </style>
        </head>
        <body>
          <h1>Skia.Pool</h1>
          <p>Each person gets a private instance of the debugger, behind a private URL.
             Keep that URL to yourself: it is the only key to your instance.</p>
          <form method="post" action="/instanceNew">
            <button type="submit" id="new-instance">New instance</button>
          </form>
          {{(isAdmin ? AdminLink : "")}}
        </body>
        </html>
        """;
}
