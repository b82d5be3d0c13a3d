using Microsoft.Extensions.Options;
using Skia.Pool.Api.Configuration;
using Skia.Pool.Api.Endpoints;
using Skia.Pool.Api.Pages;
using Skia.Pool.Api.Proxy;
using Skia.Pool.Api.Security;

try
{
    // Settings files are found beside the executable, wherever it is started from.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddPool();

    var app = builder.Build();

    // Errors are problem details everywhere, in every environment: no stack traces.
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseSecurityHeaders();
    app.UseDotSegmentGuard();
    app.UseRouting();
    app.UseRateLimiter();

    app.MapPageEndpoints();
    app.MapInstanceEndpoints();
    app.MapAdminEndpoints();
    app.MapHealthEndpoints();
    app.MapOpenApi();
    app.MapApiReference();
    app.MapInstanceProxy();

    app.Run();
    return 0;
}
catch (OptionsValidationException invalid)
{
    // A bad setting (found while building the host or while starting it): say which, plainly, and exit
    // with a failure, not an abort with a stack trace.
    foreach (var failure in invalid.Failures)
    {
        Console.Error.WriteLine($"Invalid configuration: {failure}");
    }

    return 1;
}
catch (InvalidOperationException unreadable) when (unreadable.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    // A value of the wrong type ("yes" for a boolean, "abc" for a number); the binder's message names the key.
    Console.Error.WriteLine($"Invalid configuration: {unreadable.Message}");
    return 1;
}
