using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>What a browser or script does against the service, in one line each.</summary>
internal static class PoolClientExtensions
{
    /// <summary>POST /instanceNew and return the new id from the 303's Location.</summary>
    public static async Task<string> CreateInstanceAsync(this HttpClient client)
    {
        using var response = await client.PostAsync(new Uri("/instanceNew", UriKind.Relative), null);
        response.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        var location = response.Headers.Location!.OriginalString;
        return location.Trim('/');
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The pid of the FakeServe process that answers under /{id}/.</summary>
    public static async Task<int> WhoAmIAsync(this HttpClient client, string id)
    {
        var whoami = await client.GetJsonAsync($"/{id}/whoami");
        return whoami.GetProperty("pid").GetInt32();
    }

    /// <summary>What FakeServe's upload form sends: POST /{id}/new, multipart, one field named file.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, string id, byte[] file, string name)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", name);
        return await client.PostAsync(new Uri($"/{id}/new", UriKind.Relative), form);
    }

    public static async Task<JsonElement[]> ListInstancesAsync(this HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement[]>(new Uri("/instances", UriKind.Relative)))!];
}
