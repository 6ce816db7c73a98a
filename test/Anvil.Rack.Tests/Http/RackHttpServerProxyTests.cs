using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Http;

public sealed class RackHttpServerProxyTests
{
    [Fact]
    public async Task A_metadata_request_reaches_the_region_with_its_path_query_and_headers()
    {
        await using var region = await UpstreamRegion.StartAsync("r1");
        await using var rack = await RackHttpServerHarness.StartAsync([region.Url]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/MAAS/metadata/latest/by-id/abc123/?op=get_preseed&x=a%20b");
        request.Headers.Add("X-Test", "kept");
        request.Headers.Add("X-Forwarded-For", "10.9.9.9");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("OAuth", "oauth_token=t");

        using var response = await rack.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var echo = (await response.Content.ReadFromJsonAsync<Echo>())!;
        echo.Method.ShouldBe("GET");
        echo.Path.ShouldBe("/MAAS/metadata/latest/by-id/abc123/");
        echo.Query.ShouldBe("?op=get_preseed&x=a%20b");
        var headers = new Dictionary<string, string>(echo.Headers, StringComparer.OrdinalIgnoreCase);
        headers["X-Test"].ShouldBe("kept");
        headers["Authorization"].ShouldBe("OAuth oauth_token=t");
        headers["X-Forwarded-For"].ShouldBe("10.9.9.9, 127.0.0.1");
        headers["X-Forwarded-Proto"].ShouldBe("http");
        headers["Host"].ShouldBe(rack.BaseUrl.Authority);
    }

    [Fact]
    public async Task The_region_status_headers_and_body_come_back_without_hop_by_hop_headers()
    {
        await using var region = await UpstreamRegion.StartAsync("r1");
        await using var rack = await RackHttpServerHarness.StartAsync([region.Url]);

        using var response = await rack.Client.PostAsync("/MAAS/api/2.0/machines/?op=allocate&status=409", new StringContent("name=x", null, "application/x-www-form-urlencoded"));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        response.Headers.GetValues("X-Region").ShouldBe(["r1"]);
        response.Headers.Contains("X-Secret").ShouldBeFalse();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var echo = (await response.Content.ReadFromJsonAsync<Echo>())!;
        echo.Method.ShouldBe("POST");
        echo.Body.ShouldBe("name=x");
        new Dictionary<string, string>(echo.Headers, StringComparer.OrdinalIgnoreCase)["Content-Type"].ShouldStartWith("application/x-www-form-urlencoded");
    }

    [Fact]
    public async Task A_large_streamed_body_arrives_whole()
    {
        await using var region = await UpstreamRegion.StartAsync("r1");
        await using var rack = await RackHttpServerHarness.StartAsync([region.Url]);
        var payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        using var content = new StreamContent(new MemoryStream(payload));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/MAAS/api/2.0/files/") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await rack.Client.SendAsync(request);

        var echo = (await response.Content.ReadFromJsonAsync<Echo>())!;
        echo.Method.ShouldBe("PUT");
        echo.BodyLength.ShouldBe(payload.Length);
    }

    [Fact]
    public async Task A_region_refusing_connections_is_skipped_for_the_next()
    {
        await using var region = await UpstreamRegion.StartAsync("second");
        await using var rack = await RackHttpServerHarness.StartAsync([RackHttpServerHarness.RefusingUrl(), region.Url]);

        using var response = await rack.Client.PostAsync("/MAAS/api/2.0/machines/?op=list", new StringContent("a=1"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("X-Region").ShouldBe(["second"]);
        (await response.Content.ReadFromJsonAsync<Echo>())!.Body.ShouldBe("a=1");
        rack.Log.Messages.ShouldContain(m => m.EventId == 7303);
    }

    [Fact]
    public async Task When_no_region_answers_the_answer_is_502()
    {
        await using var rack = await RackHttpServerHarness.StartAsync([RackHttpServerHarness.RefusingUrl(), RackHttpServerHarness.RefusingUrl()]);

        using var response = await rack.Client.GetAsync("/MAAS/metadata/latest/");

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        rack.Log.Messages.Count(m => m.EventId == 7303).ShouldBe(2);
        rack.Log.Messages.ShouldContain(m => m.EventId == 7304);
    }

    [Fact]
    public async Task Without_any_region_the_answer_is_502()
    {
        await using var rack = await RackHttpServerHarness.StartAsync([]);

        using var response = await rack.Client.GetAsync("/MAAS/api/2.0/version/");

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
    }

    [Fact]
    public async Task Other_MAAS_paths_are_not_forwarded()
    {
        await using var region = await UpstreamRegion.StartAsync("r1");
        await using var rack = await RackHttpServerHarness.StartAsync([region.Url]);

        using var response = await rack.Client.GetAsync("/MAAS/r/machines");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Headers.Contains("X-Region").ShouldBeFalse();
    }
}
