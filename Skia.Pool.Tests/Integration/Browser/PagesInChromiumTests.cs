using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Browser;

/// <summary>
/// What a person does, in a real headless Chromium against the real service and real FakeServe
/// processes. Every page visited is saved as a screenshot under <c>artifacts/browser</c>.
/// </summary>
public sealed class PagesInChromiumTests(AdminTokenServer fixture) : IClassFixture<AdminTokenServer>
{
    private PoolServer Server => fixture.Server;

    [SkippableFact]
    public async Task Landing_ClickNewThenUpload_LandsOnOwnInstanceWithImageThenShowsTheFileNameAndHash()
    {
        await using var chromium = await Chromium.StartAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());
        await Chromium.ScreenshotAsync(page, "1-landing");

        await page.ClickAsync("#new-instance");
        await page.WaitForURLAsync(InstanceRoot());
        var id = new Uri(page.Url).AbsolutePath.Trim('/');
        (await page.TextContentAsync("h1")).Should().Be("FakeServe (skiaserve stand-in)");
        await page.WaitForFunctionAsync("() => { const img = document.querySelector('img'); return img.complete && img.naturalWidth > 0; }");
        (await page.EvalOnSelectorAsync<int>("img", "img => img.naturalWidth")).Should().BePositive();
        await Chromium.ScreenshotAsync(page, "2-instance");

        var file = RandomNumberGenerator.GetBytes(50_000);
        await page.SetInputFilesAsync("input[name=file]", new FilePayload { Name = "picture.skp", MimeType = "application/octet-stream", Buffer = file });
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#upload-name");

        new Uri(page.Url).AbsolutePath.Should().Be($"/{id}/");
        (await page.TextContentAsync("#upload-name")).Should().Be("picture.skp");
        (await page.TextContentAsync("#upload-sha256")).Should().Be(Convert.ToHexStringLower(SHA256.HashData(file)));
        await page.WaitForFunctionAsync("() => { const img = document.querySelector('img'); return img.complete && img.naturalWidth > 0; }");
        await Chromium.ScreenshotAsync(page, "3-instance-after-upload");
    }

    [SkippableFact]
    public async Task AdminPage_WithTokenPressRestart_ShowsTheInstanceWithANewPid()
    {
        await using var chromium = await Chromium.StartAsync();
        using var client = fixture.CreateAdminClient();
        var id = await client.CreateInstanceAsync();
        var oldPid = await client.WhoAmIAsync(id);
        var page = await chromium.NewPageAsync();
        await page.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["Authorization"] = "Bearer " + AdminTokenServer.Token });

        await page.GotoAsync(new Uri(Server.BaseAddress, "/admin").ToString());
        var row = page.Locator($"tr[data-id='{id}']");
        (await row.Locator("td.pid").TextContentAsync()).Should().Be(oldPid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await row.Locator("td.state").TextContentAsync()).Should().Be("running");
        await Chromium.ScreenshotAsync(page, "4-admin");

        await row.Locator("button[data-action=restart]").ClickAsync();
        await page.WaitForFunctionAsync(
            "([id, old]) => { const cell = document.querySelector(`tr[data-id='${id}'] td.pid`); return cell && cell.textContent !== '' && cell.textContent !== old; }",
            new object[] { id, oldPid.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var newPid = int.Parse((await page.Locator($"tr[data-id='{id}'] td.pid").TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        newPid.Should().NotBe(oldPid);
        (await client.WhoAmIAsync(id)).Should().Be(newPid);
        MarkedProcesses.IsAlive(oldPid).Should().BeFalse();
        await Chromium.ScreenshotAsync(page, "5-admin-after-restart");
    }

    [SkippableFact]
    public async Task ApiReference_Open_RendersTheRoutesWithNothingFetchedFromOtherHosts()
    {
        await using var chromium = await Chromium.StartAsync();
        var page = await chromium.NewPageAsync();
        var foreign = new List<string>();
        page.Request += (_, request) =>
        {
            var host = new Uri(request.Url).Host;
            if (request.Url.StartsWith("http", StringComparison.Ordinal) && host != "127.0.0.1")
            {
                foreign.Add(request.Url);
            }
        };

        await page.GotoAsync(new Uri(Server.BaseAddress, "/scalar").ToString());
        await page.GetByText("The landing page with the New instance button").First.WaitForAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Chromium.ScreenshotAsync(page, "6-api-reference");

        foreign.Should().BeEmpty("the API reference must work without a CDN");
    }

    private Regex InstanceRoot() => new($"^{Regex.Escape(Server.BaseAddress.ToString())}[0-9a-f-]{{36}}/$");
}
