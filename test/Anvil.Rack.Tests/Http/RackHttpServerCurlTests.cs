using System.Diagnostics;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Http;

/// <summary>The server as a real HTTP client, curl, sees it: another client than the one the other tests use.</summary>
public sealed class RackHttpServerCurlTests
{
    [Fact]
    public async Task Curl_fetches_a_script_a_range_and_headers_and_cannot_climb_out()
    {
        await using var rack = await RackHttpServerHarness.StartAsync();
        var bytes = rack.Tree.Write("images/abc1234/boot-initrd", Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        var output = Path.Combine(rack.Tree.Base, "curl.out");
        var url = rack.BaseUrl.ToString().TrimEnd('/');

        var script = await CurlAsync("-sS", "-o", output, "-w", "%{http_code} %{content_type}", $"{url}/ipxe.cfg-52:54:00:00:00:01");
        script.ShouldBe("200 text/plain");
        (await File.ReadAllTextAsync(output)).ShouldStartWith("#!ipxe\n");

        var range = await CurlAsync("-sS", "-r", "16-31", "-o", output, "-w", "%{http_code} %{size_download}", $"{url}/images/abc1234/boot-initrd");
        range.ShouldBe("206 16");
        (await File.ReadAllBytesAsync(output)).ShouldBe(bytes[16..32]);

        var head = await CurlAsync("-sS", "-I", $"{url}/images/abc1234/boot-initrd");
        head.ShouldContain("HTTP/1.1 200 OK");
        head.ShouldContain("Content-Length: 256", Case.Insensitive);
        head.ShouldContain("Accept-Ranges: bytes", Case.Insensitive);

        var escape = await CurlAsync("-sS", "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", $"{url}/images/../../secret.txt");
        escape.ShouldBe("404");
    }

    private static async Task<string> CurlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--max-time");
        start.ArgumentList.Add("20");
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var curl = Process.Start(start)!;
        var stdout = curl.StandardOutput.ReadToEndAsync();
        var stderr = curl.StandardError.ReadToEndAsync();
        await curl.WaitForExitAsync();
        curl.ExitCode.ShouldBe(0, await stderr);
        return await stdout;
    }
}
