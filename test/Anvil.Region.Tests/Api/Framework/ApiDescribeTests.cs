using System.Net;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Anvil.Region.Api.Framework;

public sealed class ApiDescribeTests
{
    private static async Task<(HttpResponseMessage Response, JsonElement Json)> DescribeAsync(ApiTestHost host, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/MAAS/api/2.0/describe/");
        configure?.Invoke(request);
        var response = await host.Client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static JsonElement Resource(JsonElement describe, string name) =>
        describe.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);

    private static JsonElement Action(JsonElement handler, string name) =>
        handler.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Describe_is_anonymous_with_content_type_exactly_application_json()
    {
        await using var host = await ApiTestHost.StartAsync();

        var (response, _) = await DescribeAsync(host);

        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json");
    }

    [Fact]
    public async Task Every_object_in_describe_has_its_keys_sorted()
    {
        await using var host = await ApiTestHost.StartAsync();

        var (_, json) = await DescribeAsync(host);

        json.EnumerateObject().Select(p => p.Name).ShouldBe(["doc", "handlers", "hash", "resources"]);
        AssertSorted(json);
    }

    private static void AssertSorted(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var names = element.EnumerateObject().Select(p => p.Name).ToList();
            names.ShouldBe(names.Order(StringComparer.Ordinal).ToList());
            foreach (var property in element.EnumerateObject())
                AssertSorted(property.Value);
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                AssertSorted(item);
        }
    }

    [Fact]
    public async Task Resources_are_sorted_by_name_with_auth_and_anon_handlers()
    {
        await using var host = await ApiTestHost.StartAsync();

        var (_, json) = await DescribeAsync(host);

        var names = json.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList();
        names.ShouldBe(names.Order(StringComparer.Ordinal).ToList());
        names.ShouldContain("VersionHandler");
        names.ShouldNotContain("SecretHandler");
        var widgets = Resource(json, "WidgetsHandler");
        widgets.GetProperty("auth").GetProperty("name").GetString().ShouldBe("WidgetsHandler");
        widgets.GetProperty("anon").GetProperty("name").GetString().ShouldBe("AnonWidgetsHandler");
        var version = Resource(json, "VersionHandler");
        version.GetProperty("auth").ValueKind.ShouldBe(JsonValueKind.Null);
        version.GetProperty("anon").GetProperty("path").GetString().ShouldBe("/MAAS/api/2.0/version/");
    }

    [Fact]
    public async Task Handlers_list_holds_anonymous_handlers_then_authenticated_ones()
    {
        await using var host = await ApiTestHost.StartAsync();

        var (_, json) = await DescribeAsync(host);

        var handlers = json.GetProperty("handlers").EnumerateArray().Select(h => h.GetProperty("name").GetString()!).ToList();
        var lastAnon = handlers.FindLastIndex(n => n is "AnonWidgetsHandler" or "VersionHandler");
        var firstAuth = handlers.FindIndex(n => n is not ("AnonWidgetsHandler" or "VersionHandler"));
        lastAnon.ShouldBeLessThan(firstAuth);
        handlers.Count.ShouldBe(json.GetProperty("resources").EnumerateArray()
            .Sum(r => (r.GetProperty("auth").ValueKind == JsonValueKind.Null ? 0 : 1) + (r.GetProperty("anon").ValueKind == JsonValueKind.Null ? 0 : 1)));
    }

    [Fact]
    public async Task Handler_carries_params_path_and_absolute_uri()
    {
        await using var host = await ApiTestHost.StartAsync();

        var (_, json) = await DescribeAsync(host);

        var widget = Resource(json, "WidgetHandler").GetProperty("auth");
        widget.GetProperty("params").EnumerateArray().Select(p => p.GetString()).ShouldBe(["widget_id"]);
        widget.GetProperty("path").GetString().ShouldBe("/MAAS/api/2.0/widgets/{widget_id}/");
        widget.GetProperty("uri").GetString().ShouldBe("http://localhost/MAAS/api/2.0/widgets/{widget_id}/");
        widget.GetProperty("doc").GetString().ShouldBe("One widget.");
    }

    [Fact]
    public async Task Uri_follows_forwarded_host_and_proto()
    {
        await using var host = await ApiTestHost.StartAsync();

        var (_, json) = await DescribeAsync(host, r =>
        {
            r.Headers.Add("X-Forwarded-Host", "maas.example:5240, proxy.internal");
            r.Headers.Add("X-Forwarded-Proto", "https");
        });

        Resource(json, "WidgetsHandler").GetProperty("auth").GetProperty("uri").GetString().ShouldBe("https://maas.example:5240/MAAS/api/2.0/widgets/");
    }

    [Fact]
    public async Task Actions_are_sorted_and_describe_method_op_and_restful()
    {
        await using var host = await ApiTestHost.StartAsync();

        var (_, json) = await DescribeAsync(host);

        var widgets = Resource(json, "WidgetsHandler").GetProperty("auth");
        var names = widgets.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).ToList();
        names.ShouldBe(["count", "create", "echo", "nothing", "purge", "read"]);
        var create = Action(widgets, "create");
        create.GetProperty("method").GetString().ShouldBe("POST");
        create.GetProperty("op").ValueKind.ShouldBe(JsonValueKind.Null);
        create.GetProperty("restful").GetBoolean().ShouldBeTrue();
        var count = Action(widgets, "count");
        count.GetProperty("method").GetString().ShouldBe("GET");
        count.GetProperty("op").GetString().ShouldBe("count");
        count.GetProperty("restful").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Action_doc_puts_param_and_type_lines_after_the_first_paragraph()
    {
        await using var host = await ApiTestHost.StartAsync();

        var (_, json) = await DescribeAsync(host);

        var doc = Action(Resource(json, "WidgetsHandler").GetProperty("auth"), "create").GetProperty("doc").GetString()!;
        var paragraphs = doc.Split("\n\n");
        paragraphs[0].ShouldBe("Create a widget");
        paragraphs[1].ShouldBe("Makes one widget.");
        paragraphs.ShouldContain(":param name: Required. The widget's name.\n:type name: String");
        paragraphs.ShouldContain(":param size: Optional. Size in units.\n:type size: Int");
        paragraphs.ShouldContain(":param enabled: Optional. Whether it is on.\n:type enabled: Boolean");
        doc.IndexOf(":param", StringComparison.Ordinal).ShouldBeGreaterThan(doc.IndexOf("\n\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Action_doc_without_parameters_has_no_param_lines()
    {
        await using var host = await ApiTestHost.StartAsync();

        var (_, json) = await DescribeAsync(host);

        Action(Resource(json, "WidgetsHandler").GetProperty("auth"), "read").GetProperty("doc").GetString()
            .ShouldBe("List widgets\n\nEvery widget the caller can see.");
    }

    [Fact]
    public async Task Hash_matches_the_header_and_does_not_depend_on_the_host_or_declaration_order()
    {
        await using var host = await ApiTestHost.StartAsync();
        await using var reordered = await ApiTestHost.StartAsync(api =>
        {
            foreach (var declare in TestCatalog.Parts.Reverse())
                declare(api);
        });

        var (plain, plainJson) = await DescribeAsync(host);
        var (_, proxiedJson) = await DescribeAsync(host, r => r.Headers.Add("X-Forwarded-Host", "elsewhere.example"));
        var (_, reorderedJson) = await DescribeAsync(reordered);

        var hash = plainJson.GetProperty("hash").GetString()!;
        hash.ShouldMatch("^[0-9a-f]{40}$");
        plain.Headers.GetValues(ApiPaths.HashHeader).Single().ShouldBe(hash);
        proxiedJson.GetProperty("hash").GetString().ShouldBe(hash);
        reorderedJson.GetProperty("hash").GetString().ShouldBe(hash);
    }

    [Fact]
    public async Task Hash_changes_when_an_action_is_added()
    {
        await using var host = await ApiTestHost.StartAsync();
        await using var extended = await ApiTestHost.StartAsync(api =>
        {
            TestCatalog.Declare(api);
            api.Handler("ExtraHandler", "extra/", "More.").Read(TestCatalog.Echo, "Read extra");
        });

        var (_, first) = await DescribeAsync(host);
        var (_, second) = await DescribeAsync(extended);

        second.GetProperty("hash").GetString().ShouldNotBe(first.GetProperty("hash").GetString());
    }
}
