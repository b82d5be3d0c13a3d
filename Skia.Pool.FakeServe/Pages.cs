using System.Text.Encodings.Web;

namespace Skia.Pool.FakeServe;

/// <summary>
/// The HTML FakeServe shows. The proxy serves it under <c>/{id}/</c>, so every URL in it is relative: one
/// leading slash would send the browser to the pool itself instead of this instance.
/// </summary>
internal static class Pages
{
    public static string Index(Upload? upload, int pid)
    {
        var current = upload is null
            ? """<p id="upload-none">no file yet</p>"""
            : $"""
                <dl>
                  <dt>name</dt><dd id="upload-name">{HtmlEncoder.Default.Encode(upload.Name)}</dd>
                  <dt>bytes</dt><dd id="upload-bytes">{upload.Bytes}</dd>
                  <dt>SHA-256</dt><dd id="upload-sha256">{upload.Sha256}</dd>
                </dl>
                """;

        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>FakeServe (skiaserve stand-in)</title>
            </head>
            <body>
            <h1>FakeServe (skiaserve stand-in)</h1>
            <p>process <span id="pid">{pid}</span></p>
            <form method="post" action="new" enctype="multipart/form-data"><input type="file" name="file"><button type="submit">Upload</button></form>
            <h2>Current upload</h2>
            {current}
            <p><img src="img" alt="A gradient coloured by the upload's SHA-256" width="{Picture.Width}" height="{Picture.Height}"></p>
            <p><a href="info">info</a> <a href="cmd">commands</a> <a href="whoami">whoami</a></p>
            </body>
            </html>
            """;
    }
}
