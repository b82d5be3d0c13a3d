using Scalar.AspNetCore;

namespace Skia.Pool.Api.Pages;

/// <summary>
/// The API reference UI (Scalar) over <c>/openapi/v1.json</c>, at <c>/scalar</c>. Its script is bundled in the
/// Scalar.AspNetCore package and served from <c>/scalar/</c>; the default web fonts (fetched from Scalar's
/// servers) are switched off, so the page loads nothing from anywhere else.
/// </summary>
internal static class ApiReference
{
    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference("/scalar", options => options
            .WithTitle("Skia.Pool API")
            .DisableDefaultFonts());
        return app;
    }
}
