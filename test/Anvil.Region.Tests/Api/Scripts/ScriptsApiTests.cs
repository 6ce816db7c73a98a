using System.Net;
using System.Text;
using System.Text.Json;
using Anvil.Region.Tests.Support;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Scripts;

public sealed class ScriptsApiTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    [Fact]
    public async Task Create_from_an_uploaded_file_takes_the_embedded_metadata()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("fio");
        var text = ScriptUploads.WithMetadata(
            $"name: {name}", "title: Storage benchmark", "script_type: testing", "hardware_type: storage", "parallel: instance",
            "timeout: 600", "destructive: true", "tags: [bench]", "for_hardware: [pci:8086:1533]", "packages: {apt: fio}",
            "parameters: {storage: {type: storage, argument_format: '{path}'}}", "results: [read_speed]");
        using var http = ScriptUploads.MultipartClient(host, admin);

        var script = await (await http.PostAsync("scripts/", ScriptUploads.Body("script", text, ("comment", "first")))).ShouldBeJsonAsync();

        script.GetProperty("name").GetString().ShouldBe(name);
        script.GetProperty("title").GetString().ShouldBe("Storage benchmark");
        script.GetProperty("type").GetInt32().ShouldBe(2);
        script.GetProperty("type_name").GetString().ShouldBe("Testing script");
        script.GetProperty("hardware_type").GetInt32().ShouldBe(3);
        script.GetProperty("hardware_type_name").GetString().ShouldBe("Storage");
        script.GetProperty("parallel").GetInt32().ShouldBe(1);
        script.GetProperty("parallel_name").GetString().ShouldBe("Run along other instances of this script");
        script.GetProperty("timeout").GetString().ShouldBe("0:10:00");
        script.GetProperty("destructive").GetBoolean().ShouldBeTrue();
        Strings(script, "tags").ShouldBe(["bench", "destructive", "storage"]);
        Strings(script, "for_hardware").ShouldBe(["pci:8086:1533"]);
        script.GetProperty("packages").GetRawText().ShouldBe("""{"apt":["fio"]}""");
        script.GetProperty("parameters").GetProperty("storage").GetProperty("type").GetString().ShouldBe("storage");
        script.GetProperty("results").GetRawText().ShouldBe("""["read_speed"]""");
        script.GetProperty("default").GetBoolean().ShouldBeFalse();
        script.GetProperty("resource_uri").GetString().ShouldBe($"/MAAS/api/2.0/scripts/{name}");
        var history = script.GetProperty("history").EnumerateArray().Single();
        history.GetProperty("comment").GetString().ShouldBe("first");
        history.GetProperty("created").GetString()!.ShouldEndWith(" -0000");
        history.TryGetProperty("data", out _).ShouldBeFalse();
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("SETTINGS", $"Saved script '{name}'."));
    }

    [Fact]
    public async Task Create_from_form_fields_reads_maas_names_and_defaults()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("cpu");

        var script = await (await admin.Client.PostAsync(
            "scripts/",
            ("name", name), ("script", "#!/bin/sh\necho hi\n"), ("type", "commissioning"), ("hardware_type", "processor"),
            ("timeout", "90"), ("tags", "a, b"), ("may_reboot", "true"), ("for_hardware", "usb:0bda:8153,system_vendor:QEMU"))).ShouldBeJsonAsync();

        script.GetProperty("type").GetInt32().ShouldBe(0);
        script.GetProperty("hardware_type_name").GetString().ShouldBe("CPU");
        script.GetProperty("parallel").GetInt32().ShouldBe(0);
        script.GetProperty("timeout").GetString().ShouldBe("0:01:30");
        script.GetProperty("may_reboot").GetBoolean().ShouldBeTrue();
        Strings(script, "tags").ShouldBe(["a", "b", "cpu"]);
        Strings(script, "for_hardware").ShouldBe(["usb:0bda:8153", "system_vendor:QEMU"]);
        script.GetProperty("history").EnumerateArray().Single().GetProperty("comment").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Create_with_the_only_file_named_after_the_script_uses_the_part_name()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("single");
        using var http = ScriptUploads.MultipartClient(host, admin);

        var script = await (await http.PostAsync("scripts/", ScriptUploads.Body(name, "#!/bin/sh\ntrue\n"))).ShouldBeJsonAsync();

        script.GetProperty("name").GetString().ShouldBe(name);
    }

    [Fact]
    public async Task Create_that_contradicts_the_embedded_metadata_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("s");

        var errors = await (await admin.Client.PostAsync(
            "scripts/", ("name", name), ("hardware_type", "cpu"), ("script", ScriptUploads.WithMetadata("hardware_type: memory")))).ShouldBeFieldErrorsAsync();

        errors["hardware_type"].ShouldBe(["May not override values defined in embedded YAML."]);
        await (await admin.Client.GetAsync($"scripts/{name}")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_agreeing_with_the_embedded_metadata_is_accepted()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = RegionTestHost.Unique("s");

        var script = await (await admin.Client.PostAsync(
            "scripts/", ("name", name), ("type", "2"), ("script", ScriptUploads.WithMetadata($"name: {name}", "script_type: test")))).ShouldBeJsonAsync();

        script.GetProperty("type").GetInt32().ShouldBe(2);
    }

    [Theory]
    [InlineData("none", "\"none\" is a reserved name.")]
    [InlineData("1234", "Cannot be a number.")]
    [InlineData("two words", "Name 'two words' contains disallowed characters, e.g. space or quotes.")]
    public async Task Create_with_a_bad_name_is_a_field_error(string name, string message)
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync("scripts/", ("name", name), ("script", "#!/bin/sh\n"))).ShouldBeFieldErrorsAsync();

        errors["name"].ShouldBe([message]);
    }

    [Fact]
    public async Task Create_reports_every_field_error_at_once()
    {
        var admin = await host.CreateUserAsync(admin: true);

        var errors = await (await admin.Client.PostAsync(
            "scripts/", ("script", "echo no shebang\n"), ("parallel", "sometimes"), ("timeout", "later"), ("for_hardware", "gpu:nvidia"))).ShouldBeFieldErrorsAsync();

        errors["name"].ShouldBe(["This field is required."]);
        errors["script"].ShouldBe(["Must start with shebang."]);
        errors["parallel"].ShouldBe(["Script parallel must be disabled, instance, or any."]);
        errors["timeout"].ShouldBe(["Enter a valid duration."]);
        errors["for_hardware"].ShouldBe(["Hardware identifier 'gpu:nvidia' must be a modalias, PCI ID, USB ID, system vendor, system product, system version, mainboard vendor, or mainboard product."]);
    }

    [Fact]
    public async Task Create_without_a_script_or_with_a_taken_name_is_a_field_error()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin);

        (await (await admin.Client.PostAsync("scripts/", ("name", RegionTestHost.Unique("s")))).ShouldBeFieldErrorsAsync())["script"].ShouldBe(["This field is required."]);
        (await (await admin.Client.PostAsync("scripts/", ("name", name), ("script", "#!/bin/sh\n"))).ShouldBeFieldErrorsAsync())["name"]
            .ShouldBe(["Script with this Name already exists."]);
    }

    [Fact]
    public async Task Writes_by_a_non_admin_are_forbidden_and_reads_are_allowed()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var name = await CreateAsync(admin);

        await (await user.Client.PostAsync("scripts/", ("name", RegionTestHost.Unique("s")), ("script", "#!/bin/sh\n"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PutAsync($"scripts/{name}", ("title", "mine"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.DeleteAsync($"scripts/{name}")).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostOpAsync($"scripts/{name}", "revert", ("to", "-1"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostOpAsync($"scripts/{name}", "add_tag", ("tag", "x"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);
        await (await user.Client.PostOpAsync($"scripts/{name}", "remove_tag", ("tag", "x"))).ShouldBeStatusAsync(HttpStatusCode.Forbidden);

        (await (await user.Client.GetAsync($"scripts/{name}")).ShouldBeJsonAsync()).GetProperty("title").GetString().ShouldBe("");
        (await (await user.Client.GetAsync("scripts/", ("filters", name))).ShouldBeJsonAsync()).GetArrayLength().ShouldBe(1);
        (await (await user.Client.GetOpAsync($"scripts/{name}", "download")).Content.ReadAsStringAsync()).ShouldBe("#!/bin/sh\necho v1\n");
    }

    [Fact]
    public async Task Update_with_new_text_adds_a_version_and_unchanged_text_does_not()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin);

        var updated = await (await admin.Client.PutAsync($"scripts/{name}", ("script", "#!/bin/sh\r\necho v2\r\n"), ("comment", "second"), ("title", "Two"))).ShouldBeJsonAsync();
        var same = await (await admin.Client.PutAsync($"scripts/{name}", ("script", "#!/bin/sh\necho v2\n"))).ShouldBeJsonAsync();

        updated.GetProperty("title").GetString().ShouldBe("Two");
        var history = same.GetProperty("history").EnumerateArray().ToList();
        history.Count.ShouldBe(2);
        history[0].GetProperty("comment").GetString().ShouldBe("second");
        history[0].GetProperty("id").GetInt64().ShouldBeGreaterThan(history[1].GetProperty("id").GetInt64());
        (await (await admin.Client.GetOpAsync($"scripts/{name}", "download")).Content.ReadAsStringAsync()).ShouldBe("#!/bin/sh\necho v2\n");
        (await (await admin.Client.GetOpAsync($"scripts/{name}", "download", ("rev", history[1].GetProperty("id").GetInt64().ToString()))).Content.ReadAsStringAsync())
            .ShouldBe("#!/bin/sh\necho v1\n");
    }

    [Fact]
    public async Task Update_keeps_fields_left_out_and_refuses_a_comment_without_a_script()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin, ("description", "kept"), ("timeout", "60"));

        var updated = await (await admin.Client.PutAsync($"scripts/{name}", ("destructive", "true"))).ShouldBeJsonAsync();
        var errors = await (await admin.Client.PutAsync($"scripts/{name}", ("comment", "why"))).ShouldBeFieldErrorsAsync();

        updated.GetProperty("description").GetString().ShouldBe("kept");
        updated.GetProperty("timeout").GetString().ShouldBe("0:01:00");
        Strings(updated, "tags").ShouldContain("destructive");
        errors["comment"].ShouldBe(["\"comment\" may only be used when specifying a \"script\" as well."]);
    }

    [Fact]
    public async Task Update_ignores_embedded_tags_and_timeout_so_local_choices_stay()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin, ("tags", "mine"), ("timeout", "60"));

        var updated = await (await admin.Client.PutAsync($"scripts/{name}", ("script", ScriptUploads.WithMetadata("tags: [upstream]", "timeout: 999", "title: New")))).ShouldBeJsonAsync();

        Strings(updated, "tags").ShouldBe(["mine", "node"]);
        updated.GetProperty("timeout").GetString().ShouldBe("0:01:00");
        updated.GetProperty("title").GetString().ShouldBe("New");
    }

    [Fact]
    public async Task Revert_makes_an_earlier_version_current_and_drops_the_newer()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin);
        await admin.Client.PutAsync($"scripts/{name}", ("script", "#!/bin/sh\necho v2\n"));
        await admin.Client.PutAsync($"scripts/{name}", ("script", "#!/bin/sh\necho v3\n"));

        var reverted = await (await admin.Client.PostOpAsync($"scripts/{name}", "revert", ("to", "-2"))).ShouldBeJsonAsync();

        reverted.GetProperty("history").GetArrayLength().ShouldBe(1);
        (await (await admin.Client.GetOpAsync($"scripts/{name}", "download")).Content.ReadAsStringAsync()).ShouldBe("#!/bin/sh\necho v1\n");
        (await (await admin.Client.PostOpAsync($"scripts/{name}", "revert", ("to", "-1"))).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldBe("Goes too far back.");
        (await (await admin.Client.PostOpAsync($"scripts/{name}", "revert", ("to", "999999999"))).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldBe("999999999 not found in history");
        (await host.AuditEventsByAsync(admin.Username)).ShouldContain(("SETTINGS", $"Reverted script '{name}' to revision '-2'."));
    }

    [Fact]
    public async Task Download_of_an_unknown_revision_is_a_bad_request()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin);

        var response = await admin.Client.GetOpAsync($"scripts/{name}", "download", ("revision", "424242"));

        (await response.ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldBe("424242 not found in history");
    }

    [Fact]
    public async Task Add_and_remove_tag_keep_the_automatic_tags()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin);

        Strings(await (await admin.Client.PostOpAsync($"scripts/{name}", "add_tag", ("tag", "gold"))).ShouldBeJsonAsync(), "tags").ShouldBe(["node", "gold"]);
        Strings(await (await admin.Client.PostOpAsync($"scripts/{name}", "remove_tag", ("tag", "node"))).ShouldBeJsonAsync(), "tags").ShouldBe(["gold", "node"]);
        Strings(await (await admin.Client.PostOpAsync($"scripts/{name}", "remove_tag", ("tag", "gold"))).ShouldBeJsonAsync(), "tags").ShouldBe(["node"]);
        (await (await admin.Client.PostOpAsync($"scripts/{name}", "add_tag", ("tag", "a,b"))).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldBe("Tag may not contain a \",\".");
    }

    [Fact]
    public async Task Delete_removes_the_script_but_not_a_built_in_one()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin);
        var builtIn = await CreateAsync(admin);
        await MarkDefaultAsync(builtIn);

        await (await admin.Client.DeleteAsync($"scripts/{name}")).ShouldBeStatusAsync(HttpStatusCode.NoContent);
        await (await admin.Client.GetAsync($"scripts/{name}")).ShouldBeStatusAsync(HttpStatusCode.NotFound);
        (await (await admin.Client.DeleteAsync($"scripts/{builtIn}")).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldBe("Unable to delete default script");
        (await (await admin.Client.PostOpAsync($"scripts/{builtIn}", "revert", ("to", "0"))).ShouldBeTextAsync(HttpStatusCode.BadRequest)).ShouldBe("Unable to revert default script");
    }

    [Fact]
    public async Task Built_in_scripts_take_only_tags_and_timeout()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin);
        await MarkDefaultAsync(name);

        var errors = await (await admin.Client.PutAsync($"scripts/{name}", ("title", "renamed"), ("script", "#!/bin/sh\n"))).ShouldBeFieldErrorsAsync();
        var updated = await (await admin.Client.PutAsync($"scripts/{name}", ("tags", "x"), ("timeout", "5"))).ShouldBeJsonAsync();

        errors["title"].ShouldBe(["Not allowed to change on default scripts."]);
        errors["script"].ShouldBe(["Not allowed to change on default scripts."]);
        updated.GetProperty("timeout").GetString().ShouldBe("0:00:05");
        updated.GetProperty("default").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task List_filters_by_type_hardware_type_and_name_or_tag()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var tag = RegionTestHost.Unique("t");
        var commissioning = await CreateAsync(admin, ("type", "commissioning"), ("tags", tag));
        var memory = await CreateAsync(admin, ("hardware_type", "memory"), ("tags", tag));

        Names(await (await admin.Client.GetAsync("scripts/", ("filters", tag))).ShouldBeJsonAsync()).ShouldBe([commissioning, memory]);
        Names(await (await admin.Client.GetAsync("scripts/", ("filters", tag), ("type", "commissioning"))).ShouldBeJsonAsync()).ShouldBe([commissioning]);
        Names(await (await admin.Client.GetAsync("scripts/", ("filters", $"{memory},nothing"), ("hardware_type", "2"))).ShouldBeJsonAsync()).ShouldBe([memory]);
        (await (await admin.Client.GetAsync("scripts/", ("type", "nightly"))).ShouldBeTextAsync(HttpStatusCode.BadRequest))
            .ShouldBe("Script type must be commissioning, testing, release or deployment");
    }

    [Fact]
    public async Task Include_script_adds_each_version_text_in_base64()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin);

        var script = await (await admin.Client.GetAsync($"scripts/{name}", ("include_script", "1"))).ShouldBeJsonAsync();

        var data = script.GetProperty("history").EnumerateArray().Single().GetProperty("data").GetString()!;
        Encoding.UTF8.GetString(Convert.FromBase64String(data)).ShouldBe("#!/bin/sh\necho v1\n");
    }

    [Fact]
    public async Task Read_accepts_the_id_in_place_of_the_name_and_answers_404_for_unknown_scripts()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var name = await CreateAsync(admin);
        var id = (await (await admin.Client.GetAsync($"scripts/{name}")).ShouldBeJsonAsync()).GetProperty("id").GetInt64();

        (await (await admin.Client.GetAsync($"scripts/{id}")).ShouldBeJsonAsync()).GetProperty("name").GetString().ShouldBe(name);
        (await (await admin.Client.GetAsync($"scripts/{RegionTestHost.Unique("missing")}")).ShouldBeTextAsync(HttpStatusCode.NotFound))
            .ShouldBe("No Script matches the given query.");
    }

    private async Task<string> CreateAsync(TestUser admin, params (string Key, string Value)[] fields)
    {
        var name = RegionTestHost.Unique("script");
        await (await admin.Client.PostAsync("scripts/", [("name", name), ("script", "#!/bin/sh\necho v1\n"), .. fields])).ShouldBeJsonAsync();
        return name;
    }

    private Task<int> MarkDefaultAsync(string name) =>
        host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition("UPDATE script SET is_default = true WHERE name = @name", new { name }, tx)),
            CancellationToken.None);

    private static string[] Strings(JsonElement json, string property) =>
        [.. json.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    private static string[] Names(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("name").GetString()!)];
}
