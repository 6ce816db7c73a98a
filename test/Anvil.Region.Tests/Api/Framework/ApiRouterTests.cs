using Shouldly;
using Xunit;

namespace Anvil.Region.Api.Framework;

public sealed class ApiRouterTests
{
    private static Task<ApiResult> Nothing(ApiRequest request) => Task.FromResult(ApiResult.Ok);

    private static ApiRouter RouterFor(Action<ApiCatalogBuilder> declare)
    {
        var builder = new ApiCatalogBuilder();
        declare(builder);
        return new ApiRouter(builder.Build());
    }

    [Theory]
    [InlineData("AThingHandler", "ZSpecialHandler")]
    [InlineData("ZThingHandler", "ASpecialHandler")]
    public void Literal_segment_beats_placeholder_whatever_the_catalog_order(string placeholderHandler, string literalHandler)
    {
        var router = RouterFor(api =>
        {
            api.Handler(placeholderHandler, "things/{id}/", "d").Read(Nothing, "r");
            api.Handler(literalHandler, "things/special/", "d").Read(Nothing, "r");
        });

        router.Match("things/special/")!.Resource.Name.ShouldBe(literalHandler);
        router.Match("things/other/")!.Resource.Name.ShouldBe(placeholderHandler);
        router.Match("things/other/")!.Route["id"].ShouldBe("other");
    }

    [Fact]
    public void Templates_ending_in_slash_also_answer_op_paths_without_trailing_slash()
    {
        var router = RouterFor(api =>
        {
            api.Handler("ThingsHandler", "things/", "d").Read(Nothing, "r");
            api.Handler("ThingHandler", "things/{id}/", "d").Read(Nothing, "r");
        });

        var collection = router.Match("things/op-allocate").ShouldNotBeNull();
        collection.Resource.Name.ShouldBe("ThingsHandler");
        collection.PathOp.ShouldBe("allocate");

        var instance = router.Match("things/abc/op-deploy").ShouldNotBeNull();
        instance.Resource.Name.ShouldBe("ThingHandler");
        instance.Route["id"].ShouldBe("abc");
        instance.PathOp.ShouldBe("deploy");

        router.Match("things/op-allocate/").ShouldNotBeNull().Resource.Name.ShouldBe("ThingHandler");
        router.Match("things/abc/").ShouldNotBeNull().PathOp.ShouldBeNull();
    }

    [Fact]
    public void Template_without_trailing_slash_matches_exactly_and_loses_to_the_op_path()
    {
        var router = RouterFor(api =>
        {
            api.Handler("ScriptHandler", "scripts/{name}", "d").Read(Nothing, "r");
            api.Handler("ScriptsHandler", "scripts/", "d").Read(Nothing, "r");
        });

        router.Match("scripts/commission").ShouldNotBeNull().Route["name"].ShouldBe("commission");
        router.Match("scripts/commission/").ShouldBeNull();
        router.Match("scripts/op-download").ShouldNotBeNull().Resource.Name.ShouldBe("ScriptsHandler");
    }

    [Fact]
    public void Path_param_pattern_lets_a_value_span_segments_and_accepts_encoded_slashes()
    {
        var router = RouterFor(api => api.Handler("SubnetHandler", "subnets/{id}/", "d").PathParamPattern("id", @"[^/]+(/[0-9]+)?").Read(Nothing, "r"));

        router.Match("subnets/10.0.0.0/24/").ShouldNotBeNull().Route["id"].ShouldBe("10.0.0.0/24");
        router.Match("subnets/10.0.0.0%2F24/").ShouldNotBeNull().Route["id"].ShouldBe("10.0.0.0/24");
        router.Match("subnets/7/").ShouldNotBeNull().Route["id"].ShouldBe("7");
        router.Match("subnets/10.0.0.0/24/op-ip_addresses").ShouldNotBeNull().PathOp.ShouldBe("ip_addresses");
    }

    [Theory]
    [InlineData("things")]
    [InlineData("things/a/b/")]
    [InlineData("things//")]
    [InlineData("")]
    [InlineData("nothing/")]
    public void Unmatched_paths_resolve_to_nothing(string path)
    {
        var router = RouterFor(api => api.Handler("ThingHandler", "things/{id}/", "d").Read(Nothing, "r"));

        router.Match(path).ShouldBeNull();
    }

    [Fact]
    public void Placeholder_first_templates_are_still_routed()
    {
        var router = RouterFor(api => api.Handler("AnyHandler", "{anything}/detail/", "d").Read(Nothing, "r"));

        router.Match("x/detail/").ShouldNotBeNull().Route["anything"].ShouldBe("x");
    }

    [Fact]
    public void An_invalid_path_param_pattern_fails_at_start_up_naming_the_handler()
    {
        Should.Throw<InvalidOperationException>(() => RouterFor(api =>
            api.Handler("BrokenHandler", "broken/{id}/", "d").PathParamPattern("id", "([").Read(Nothing, "r")))
            .Message.ShouldContain("BrokenHandler");
    }
}
