using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skia.Pool.FakeServe;

/// <summary>Serializers generated at build time: no reflection at start-up, which every instance pays for.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InfoResponse))]
[JsonSerializable(typeof(IReadOnlyList<CommandView>))]
[JsonSerializable(typeof(WhoAmI))]
[JsonSerializable(typeof(ConnectionStats))]
[JsonSerializable(typeof(EchoResponse))]
internal sealed partial class FakeServeJsonContext : JsonSerializerContext;
