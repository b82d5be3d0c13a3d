namespace Skia.Pool.Tests.Integration.Support;

/// <summary>An absolute URI that HttpClient sends exactly as written (no unescaping, no dot-segment resolving).</summary>
internal static class VerbatimUri
{
    private static readonly UriCreationOptions Options = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public static Uri For(PoolServer server, string pathAndQuery) => new(server.BaseAddress.OriginalString.TrimEnd('/') + pathAndQuery, in Options);
}
