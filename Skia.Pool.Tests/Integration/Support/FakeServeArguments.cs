namespace Skia.Pool.Tests.Integration.Support;

/// <summary>Settings that make every instance a FakeServe started with extra (misbehaviour) switches.</summary>
internal static class FakeServeArguments
{
    public static Dictionary<string, string> With(params string[] switches)
    {
        string[] arguments = ["--port", "{port}", .. switches];
        var settings = new Dictionary<string, string>();
        for (var i = 0; i < arguments.Length; i++)
        {
            settings[$"Pool__Arguments__{i}"] = arguments[i];
        }

        return settings;
    }

    public static Dictionary<string, string> And(this Dictionary<string, string> settings, string key, string value)
    {
        settings[key] = value;
        return settings;
    }
}
