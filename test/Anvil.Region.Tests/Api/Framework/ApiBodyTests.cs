using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Anvil.Region.Api.Framework;

public sealed class ApiBodyTests
{
    private static ByteArrayContent Body(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static async Task<JsonElement> EchoAsync(ApiTestHost host, HttpMethod method, string url, HttpContent? content)
    {
        var key = host.AddUser();
        var response = await host.SendSignedAsync(method, url, key, content);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static List<string?> Values(JsonElement echo, string key) =>
        echo.GetProperty("values").GetProperty(key).EnumerateArray().Select(v => v.GetString()).ToList();

    [Fact]
    public async Task Python_cli_multipart_with_base64_parts_reaches_the_action_decoded()
    {
        await using var host = await ApiTestHost.StartAsync();
        var body = MultipartCaptures.Python([("name", "wïdget"), ("size", "3")], [("blob", "blob", [0, 1, 2, 255])]);

        var echo = await EchoAsync(host, HttpMethod.Post, "/MAAS/api/2.0/widgets/", Body(body, MultipartCaptures.PythonContentType));

        Values(echo, "name").ShouldBe(["wïdget"]);
        Values(echo, "size").ShouldBe(["3"]);
        var blob = echo.GetProperty("files").GetProperty("blob");
        Convert.FromBase64String(blob.GetProperty("content").GetString()!).ShouldBe(new byte[] { 0, 1, 2, 255 });
        blob.GetProperty("file_name").GetString().ShouldBe("blob");
    }

    [Fact]
    public async Task Python_libmaas_empty_multipart_on_delete_is_tolerated()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Delete, "/MAAS/api/2.0/widgets/4/", key, Body(MultipartCaptures.PythonLibmaasEmpty("B"), "multipart/form-data; boundary=B"));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Python_libmaas_empty_multipart_on_a_post_without_parameters_is_tolerated()
    {
        await using var host = await ApiTestHost.StartAsync();

        var echo = await EchoAsync(host, HttpMethod.Post, "/MAAS/api/2.0/widgets/?op=echo", Body(MultipartCaptures.PythonLibmaasEmpty("xyz"), "multipart/form-data; boundary=\"xyz\""));

        echo.GetProperty("values").EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task Go_file_upload_multipart_reaches_the_action_with_exact_bytes()
    {
        await using var host = await ApiTestHost.StartAsync();
        var content = Encoding.ASCII.GetBytes("#!/bin/sh\r\n--\r\necho hi\n");
        var body = MultipartCaptures.Go([("name", "s")], ("file", "script.sh", content));

        var echo = await EchoAsync(host, HttpMethod.Post, "/MAAS/api/2.0/widgets/?op=echo", Body(body, MultipartCaptures.GoContentType));

        Values(echo, "name").ShouldBe(["s"]);
        Convert.FromBase64String(echo.GetProperty("files").GetProperty("file").GetProperty("content").GetString()!).ShouldBe(content);
    }

    [Fact]
    public async Task Urlencoded_body_with_repeated_keys_becomes_lists_in_order()
    {
        await using var host = await ApiTestHost.StartAsync();
        var body = Body("tags=a&tags=b+c&tags=%C3%A9&flag&name=n%26m"u8.ToArray(), "application/x-www-form-urlencoded");

        var echo = await EchoAsync(host, HttpMethod.Post, "/MAAS/api/2.0/widgets/?op=echo", body);

        Values(echo, "tags").ShouldBe(["a", "b c", "é"]);
        Values(echo, "flag").ShouldBe([""]);
        Values(echo, "name").ShouldBe(["n&m"]);
    }

    [Fact]
    public async Task Get_and_delete_parameters_come_from_the_query_string_with_repeats()
    {
        await using var host = await ApiTestHost.StartAsync();

        var echo = await EchoAsync(host, HttpMethod.Get, "/MAAS/api/2.0/widgets/?id=1&id=2&hostname=h", null);

        Values(echo, "id").ShouldBe(["1", "2"]);
        Values(echo, "hostname").ShouldBe(["h"]);
        echo.GetProperty("values").TryGetProperty("op", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Body_fields_win_over_query_parameters_of_the_same_name()
    {
        await using var host = await ApiTestHost.StartAsync();

        var echo = await EchoAsync(host, HttpMethod.Post, "/MAAS/api/2.0/widgets/?op=echo&name=query&extra=q", new FormUrlEncodedContent([new("name", "body")]));

        Values(echo, "name").ShouldBe(["body"]);
        Values(echo, "extra").ShouldBe(["q"]);
    }

    [Fact]
    public async Task Json_body_is_left_unread_for_the_action()
    {
        await using var host = await ApiTestHost.StartAsync(api => api.Handler("RawHandler", "raw/", "Raw body.")
            .Create(async r => ApiResult.Text(await new StreamReader(r.Http.Request.Body).ReadToEndAsync(r.Aborted)), "Read raw body"));
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/raw/", key, new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"));

        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"a\":1}");
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated")]
    [InlineData("multipart/form-data", "--B\r\n\r\n--B--")]
    [InlineData("multipart/form-data; boundary=B", "--B\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n***\r\n--B--")]
    public async Task Malformed_multipart_is_400_text(string contentType, string body)
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/?op=echo", key, Body(Encoding.ASCII.GetBytes(body), contentType));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldStartWith("Invalid multipart body");
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 0; seed < 60; seed++)
            seeds.Add(seed);
        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Garbage_bodies_are_never_a_server_error(int seed)
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();
        var random = new Random(seed);
        var (bytes, contentType) = (seed % 4) switch
        {
            0 => (MultipartFormParserTests.Mutate(random, MultipartCaptures.Python([("name", "x")], [("blob", "b", [9, 9])])), MultipartCaptures.PythonContentType),
            1 => (MultipartFormParserTests.Mutate(random, MultipartCaptures.Go([("name", "x")], ("blob", "b", [1]))), MultipartCaptures.GoContentType),
            2 => (MultipartFormParserTests.RandomBytes(random, random.Next(300)), "application/x-www-form-urlencoded"),
            _ => (MultipartFormParserTests.RandomBytes(random, random.Next(300)), "multipart/form-data; boundary=\"" + (char)random.Next(33, 127) + "\""),
        };

        var response = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/", key, Body(bytes, contentType));

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Oversized_form_body_is_refused()
    {
        await using var host = await ApiTestHost.StartAsync(services: s => s.Configure<MaasApiOptions>(o => o.MaxFormBodyBytes = 100));
        var key = host.AddUser();

        var response = await host.SendSignedAsync(HttpMethod.Post, "/MAAS/api/2.0/widgets/?op=echo", key, new FormUrlEncodedContent([new("a", new string('x', 500))]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Body_is_fully_read_even_on_delete_and_unknown_paths()
    {
        await using var host = await ApiTestHost.StartAsync();
        var key = host.AddUser();
        var tracked = new TrackingContent(new byte[100_000]);

        var response = await host.SendSignedAsync(HttpMethod.Delete, "/MAAS/api/2.0/nowhere/", key, tracked);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        tracked.FullySent.ShouldBeTrue();
    }

    /// <summary>Content that records whether the server consumed all of it.</summary>
    private sealed class TrackingContent(byte[] bytes) : HttpContent
    {
        public bool FullySent { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(bytes);
            FullySent = true;
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
