namespace Skia.Pool.Api.Endpoints;

/// <summary>
/// A redirect with an explicit status: 303 See Other after a POST (what browsers and the Skia original
/// expect), 307 to keep a non-GET method. <see cref="TypedResults.Redirect"/> only offers 301/302/307/308.
/// </summary>
internal sealed class RedirectWithStatus(int status, string location) : IResult
{
    public static RedirectWithStatus SeeOther(string location) => new(StatusCodes.Status303SeeOther, location);

    public int Status { get; } = status;

    public string Location { get; } = location;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Status;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
