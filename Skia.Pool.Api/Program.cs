using Skia.Pool.Api.Configuration;
using Skia.Pool.Api.Endpoints;
using Skia.Pool.Api.Pages;
using Skia.Pool.Api.Proxy;
using Skia.Pool.Api.Security;

var builder = WebApplication.CreateBuilder(args);
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
