namespace Skia.Pool.Tests.Integration.Support;

/// <summary>Where the built service lives, found from the test binaries (same configuration: Debug or Release).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in, from .../Skia.Pool.Tests/bin/{Configuration}/net10.0/.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    public static string ApiDirectory => Path.Combine(Root, "Skia.Pool.Api", "bin", Configuration, "net10.0");

    public static string ApiExecutable => Path.Combine(ApiDirectory, "Skia.Pool.Api");

    public static string FakeServeExecutable => Path.Combine(ApiDirectory, "Skia.Pool.FakeServe");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pool.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Pool.sln not found above " + AppContext.BaseDirectory);
    }
}
