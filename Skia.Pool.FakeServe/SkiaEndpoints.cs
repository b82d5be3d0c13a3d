using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Skia.Pool.FakeServe;

/// <summary>The routes of skiaserve's contract that the pool and its users rely on.</summary>
internal static class SkiaEndpoints
{
    private static readonly IReadOnlyList<CommandView> Commands =
    [
        new("DrawPaint", true),
        new("DrawRect", true),
        new("DrawPath", true),
        new("DrawTextBlob", false),
        new("DrawImageRect", true),
    ];

    public static IEndpointRouteBuilder MapSkiaServe(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", GetPage);
        app.MapPost("/new", PostNewAsync);
        app.MapGet("/info", GetInfo);
        app.MapGet("/img", GetImage);
        app.MapGet("/cmd", GetCommands);
        return app;
    }

    private static ContentHttpResult GetPage(UploadStore store) =>
        TypedResults.Content(Pages.Index(store.Current, Environment.ProcessId), "text/html; charset=utf-8");

    private static async Task<Results<StatusCodeHttpResult, ContentHttpResult>> PostNewAsync(
        HttpRequest request,
        HttpResponse response,
        UploadStore store,
        IOptions<FormOptions> form,
        CancellationToken cancellationToken)
    {
        Upload? upload;
        try
        {
            upload = await MultipartUpload.ReadAsync(request, form.Value, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return TypedResults.Text($"malformed upload: {e.Message}\n", statusCode: StatusCodes.Status400BadRequest);
        }

        if (upload is null)
        {
            return TypedResults.Text(
                "expected multipart/form-data with a field named 'file'\n", statusCode: StatusCodes.Status400BadRequest);
        }

        store.Replace(upload);

        // Exactly what skiaserve answers: the pool rewrites this Location to the instance's own "/{id}/".
        response.Headers.Location = "/";
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static Ok<InfoResponse> GetInfo(UploadStore store)
    {
        var view = store.Current is { } upload ? new UploadView(upload.Name, upload.Bytes, upload.Sha256) : null;
        return TypedResults.Ok(new InfoResponse(1, Picture.Width, Picture.Height, view));
    }

    private static FileContentHttpResult GetImage(UploadStore store, HttpResponse response)
    {
        // The picture changes with every upload under the same URL.
        response.Headers.CacheControl = "no-store";
        return TypedResults.File(Picture.RenderPng(store.Current?.Sha256), "image/png");
    }

    private static Ok<IReadOnlyList<CommandView>> GetCommands() => TypedResults.Ok(Commands);
}
