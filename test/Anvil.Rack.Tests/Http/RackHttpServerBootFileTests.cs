using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Anvil.Domain.Boot;
using Anvil.Rack.Boot;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Http;

public sealed class RackHttpServerBootFileTests
{
    [Fact]
    public async Task A_machine_gets_the_ipxe_script_the_region_chose_for_its_mac()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();

        using var response = await rack.Client.GetAsync("/ipxe.cfg-52:54:00:12:34:56");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var script = await response.Content.ReadAsStringAsync();
        script.ShouldStartWith("#!ipxe\necho Anvil: booting commissioning ubuntu/noble amd64/generic\n");
        script.ShouldContain("kernel --name kernel http://127.0.0.1:5248/images/a1b2c3d/");
        script.ShouldContain("cloud-config-url=http://127.0.0.1:5248/MAAS/metadata/");
        var request = rack.Region.Requests.ShouldHaveSingleItem();
        request.ShouldBe(new BootRequest("127.0.0.1", "127.0.0.1", "52:54:00:12:34:56", BiosBootMethod: "ipxe"));
    }

    [Fact]
    public async Task The_first_stage_script_chains_to_the_per_mac_script()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();

        var script = await rack.Client.GetStringAsync("/ipxe.cfg");

        script.ShouldBe(IpxeScript.FirstStage);
    }

    [Fact]
    public async Task A_poweroff_machine_gets_a_pxelinux_config_that_powers_it_off()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();
        rack.Region.Answer = request => new BootConfig { Purpose = BootPurpose.PowerOff, FsHost = request.LocalIp };

        var config = await rack.Client.GetStringAsync("/pxelinux.cfg/01-52-54-00-12-34-56");

        config.ShouldContain("KERNEL poweroff.c32");
    }

    [Fact]
    public async Task When_the_region_cannot_answer_the_script_is_503()
    {
        await using var rack = await RackHttpServerHarness.StartAsync(configs: new FailingBootConfigSource());

        using var response = await rack.Client.GetAsync("/ipxe.cfg-52:54:00:12:34:56");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await Eventually.TrueAsync(() => rack.Log.Messages.Any(m => m.EventId == 7302))).ShouldBeTrue();
    }

    [Fact]
    public async Task An_image_is_served_whole_with_its_length_and_range_support()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();
        var bytes = rack.Tree.Write("images/abc1234/boot-kernel", Pattern(1000));

        using var response = await rack.Client.GetAsync("/images/abc1234/boot-kernel");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.ShouldBe(1000);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
        response.Headers.AcceptRanges.ShouldBe(["bytes"]);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);
    }

    [Theory]
    [InlineData(100L, 199L, 100, 100)]
    [InlineData(990L, null, 990, 10)]
    [InlineData(900L, 5000L, 900, 100)]
    [InlineData(null, 10L, 990, 10)]
    public async Task A_range_request_gets_206_and_just_those_bytes(long? from, long? to, int start, int count)
    {
        await using var rack = await RackHttpServerHarness.StartAsync();
        var bytes = rack.Tree.Write("images/abc1234/squashfs", Pattern(1000));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/images/abc1234/squashfs");
        request.Headers.Range = new RangeHeaderValue(from, to);

        using var response = await rack.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        response.Content.Headers.ContentRange!.ToString().ShouldBe($"bytes {start}-{start + count - 1}/1000");
        response.Content.Headers.ContentLength.ShouldBe(count);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(bytes.AsSpan(start, count).ToArray());
    }

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=5000-6000")]
    [InlineData("bytes=-0")]
    public async Task A_range_beyond_the_end_is_416_with_the_length(string range)
    {
        await using var rack = await RackHttpServerHarness.StartAsync();
        rack.Tree.Write("images/abc1234/squashfs", Pattern(1000));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/images/abc1234/squashfs");
        request.Headers.TryAddWithoutValidation("Range", range);

        using var response = await rack.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestedRangeNotSatisfiable);
        response.Content.Headers.ContentRange!.ToString().ShouldBe("bytes */1000");
    }

    [Fact]
    public async Task Head_gives_the_headers_of_a_get_without_the_body()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();
        rack.Tree.Write("bootx64.efi", Pattern(4096));
        using var request = new HttpRequestMessage(HttpMethod.Head, "/images/bootx64.efi");

        using var response = await rack.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.ShouldBe(4096);
        response.Headers.AcceptRanges.ShouldBe(["bytes"]);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_file_is_404()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();

        using var response = await rack.Client.GetAsync("/images/nothing-here");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_post_to_a_boot_file_is_405()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();

        using var response = await rack.Client.PostAsync("/ipxe.cfg", new StringContent("x"));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.ShouldBe(["GET", "HEAD"]);
    }

    [Theory]
    [InlineData("/../secret.txt")]
    [InlineData("/images/../../secret.txt")]
    [InlineData("/%2e%2e/secret.txt")]
    [InlineData("/..%2fsecret.txt")]
    [InlineData("/images/..%2f..%2fsecret.txt")]
    public async Task A_path_that_climbs_out_of_the_boot_tree_is_404(string rawPath)
    {
        await using var rack = await RackHttpServerHarness.StartAsync();

        var status = await RawGetStatusAsync(rack.BaseUrl, rawPath);

        status.ShouldBeOneOf("400", "404");
    }

    [Fact]
    public async Task Every_request_is_logged_and_counted_by_status()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();
        rack.Tree.Write("ldlinux.c32", Pattern(123));

        (await rack.Client.GetAsync("/ldlinux.c32")).Dispose();
        (await rack.Client.GetAsync("/missing.c32")).Dispose();

        (await Eventually.TrueAsync(() => rack.Metrics.Value("anvil_http_requests_total", ("status", "404")) == 1)).ShouldBeTrue();
        (await Eventually.TrueAsync(() => rack.Metrics.Value("anvil_http_requests_total", ("status", "200")) == 1)).ShouldBeTrue();
        (await Eventually.TrueAsync(() => rack.Log.Messages.Any(m => m.EventId == 7300 && m.Message.StartsWith("GET /ldlinux.c32 200 123 bytes ", StringComparison.Ordinal) && m.Message.EndsWith(" ms 127.0.0.1", StringComparison.Ordinal)))).ShouldBeTrue();
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_text_form()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();
        rack.Metrics.Counter("anvil_tftp_files_total", "Files sent.").Add(7);

        using var response = await rack.Client.GetAsync("/metrics");

        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("# TYPE anvil_tftp_files_total counter\nanvil_tftp_files_total 7\n");
    }

    [Fact]
    public async Task The_server_reports_running_between_start_and_stop()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();
        rack.Server.IsRunning.ShouldBeTrue();

        await rack.Server.StopAsync(CancellationToken.None);

        rack.Server.IsRunning.ShouldBeFalse();
        await Should.ThrowAsync<HttpRequestException>(() => rack.Client.GetAsync("/ipxe.cfg"));
    }

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    // HttpClient would resolve the dot segments itself; the server must face them as sent.
    private static async Task<string> RawGetStatusAsync(Uri server, string rawPath)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {rawPath} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n\r\n"));
        var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? "";
        return statusLine.Split(' ')[1];
    }

    private sealed class FailingBootConfigSource : IBootConfigSource
    {
        public Task<BootConfig> GetAsync(BootRequest request, CancellationToken ct) => throw new TimeoutException("no region");
    }
}
