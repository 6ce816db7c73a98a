using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Anvil.Cli.Support;
using Anvil.Server.Support;
using Xunit;

namespace Anvil.Server.Acceptance;

/// <summary>
/// An operator's session with the anvil CLI against the real anvild: three manual-power
/// machines, allocation with constraints, deploy, release, MAAS's refusals, and the event and
/// audit trail of every step.
/// </summary>
[Collection(AnvildCollection.Name)]
public sealed class CliSessionTests(AnvildFixture fixture) : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Machines_are_created_allocated_deployed_and_released_with_every_step_recorded()
    {
        var anvild = fixture.Anvild;
        (await _cli.RunAsync("login", "admin", anvild.Url, anvild.AdminKey)).ExitCode.ShouldBe(0);
        var tag = Admin.Unique("cli");
        (await Ok("admin", "tags", "create", $"name={tag}", "comment=CLI session")).GetProperty("name").GetString().ShouldBe(tag);

        var machines = new List<string>();
        foreach (var (cpus, memory) in new[] { (2, 4096), (8, 16384), (16, 65536) })
        {
            var created = await Ok("admin", "machines", "create", "architecture=amd64", $"mac_addresses={Admin.RandomMac()}", "power_type=manual", "deployed=true");
            var systemId = created.GetProperty("system_id").GetString()!;
            created.GetProperty("status_name").GetString().ShouldBe("Deployed");
            (await Ok("admin", "machine", "update", systemId, $"cpu_count={cpus}", $"memory={memory}")).GetProperty("cpu_count").GetInt32().ShouldBe(cpus);
            await Ok("admin", "tag", "update-nodes", tag, $"add={systemId}");
            (await Ok("admin", "machine", "release", systemId)).GetProperty("status_name").GetString().ShouldBe("Ready");
            machines.Add(systemId);
        }

        // Allocation picks the cheapest machine that satisfies every constraint.
        var allocated = await Ok("admin", "machines", "allocate", $"tags={tag}", "cpu_count=4", "mem=8000");
        allocated.GetProperty("system_id").GetString().ShouldBe(machines[1]);
        allocated.GetProperty("status_name").GetString().ShouldBe("Allocated");
        allocated.GetProperty("owner").GetString().ShouldBe("admin");
        allocated.GetProperty("constraints_by_type").ValueKind.ShouldBe(JsonValueKind.Object);

        // Deploy takes only a release with an image for the machine: MAAS's field error names what can be deployed,
        // and the machine is left as it was (the timeline below has no step for it).
        var missing = $"ubuntu/{Admin.Unique("none")}";
        var refused = await _cli.RunAsync("admin", "machine", "deploy", machines[1], $"distro_series={missing}");
        refused.ExitCode.ShouldBe(2);
        using (var errors = JsonDocument.Parse(refused.Error))
            errors.RootElement.GetProperty("distro_series")[0].GetString()!.ShouldStartWith($"'{missing}' is not a valid distro_series.  It should be one of: ''");

        // The operator uploads an image first, as with MAAS.
        var image = RootTarball();
        var uploaded = await Ok(
            "admin", "boot-resources", "create", "name=ubuntu/jammy", "architecture=amd64/generic", "filetype=tgz", "title=Ubuntu 22.04",
            $"sha256={Convert.ToHexStringLower(SHA256.HashData(image))}", $"size={image.Length}", $"content@={_cli.WriteFile("jammy-root.tgz", image)}");
        uploaded.GetProperty("name").GetString().ShouldBe("ubuntu/jammy");
        var deploying = await Ok("admin", "machine", "deploy", machines[1], "distro_series=jammy");
        deploying.GetProperty("status_name").GetString().ShouldBe("Deploying");
        deploying.GetProperty("distro_series").GetString().ShouldBe("jammy");

        var released = await Ok("admin", "machine", "release", machines[1], "comment=done with it");
        released.GetProperty("status_name").GetString().ShouldBe("Ready");
        released.GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);

        // The boot timeline (an Anvil extension) through the CLI: every status change, in order.
        var timeline = await Ok("admin", "machine", "boot-timeline", machines[1]);
        timeline.EnumerateArray().Where(e => e.GetProperty("stage").GetString() == "status").Select(e => e.GetProperty("detail").GetString()).ShouldBe(
        [
            "From 'Deployed' to 'Ready'", "From 'Ready' to 'Allocated'", "From 'Allocated' to 'Deploying'", "From 'Deploying' to 'Ready'",
        ]);

        // A MAC's timeline (a machine that never enlisted) is a resource of its own: boot-timeline read mac=…
        (await Ok("admin", "boot-timeline", "read", $"mac={Admin.RandomMac()}")).GetArrayLength().ShouldBe(0);
        var badMac = await _cli.RunAsync("admin", "boot-timeline", "read", "mac=not-a-mac");
        badMac.ExitCode.ShouldBe(2);
        using (var errors = JsonDocument.Parse(badMac.Error))
            errors.RootElement.GetProperty("mac").GetArrayLength().ShouldBe(1);

        // Bad fields: one 400 with a JSON object naming each field.
        var bad = await _cli.RunAsync("admin", "machines", "create", "architecture=vax", "mac_addresses=not-a-mac");
        bad.ExitCode.ShouldBe(2);
        using (var errors = JsonDocument.Parse(bad.Error))
        {
            errors.RootElement.GetProperty("architecture").GetArrayLength().ShouldBe(1);
            errors.RootElement.GetProperty("mac_addresses").GetArrayLength().ShouldBe(1);
        }

        // No match: 409 with MAAS's text.
        var none = await _cli.RunAsync("admin", "machines", "allocate", $"tags={tag}", "cpu_count=999");
        none.ExitCode.ShouldBe(2);
        none.Error.ShouldContain("No available machine matches constraints");
        using var admin = Admin.Client(anvild);
        (await Admin.StatusAsync(admin, HttpMethod.Post, "machines/", "allocate", ("tags", tag), ("cpu_count", "999"))).ShouldBe(HttpStatusCode.Conflict);

        // Events show each step of the machine; the audit log shows who did what.
        var events = await Ok("admin", "events", "query", $"id={machines[1]}", "level=DEBUG", "limit=100");
        var types = events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        types.ShouldContain("User acquiring node");
        types.ShouldContain("User starting deployment");
        types.ShouldContain("User releasing node");
        types.ShouldContain("Released");
        var audit = await Ok("admin", "events", "query", $"id={machines[1]}", "level=AUDIT");
        var auditEvents = audit.GetProperty("events").EnumerateArray().ToList();
        auditEvents.ShouldAllBe(e => e.GetProperty("level").GetString() == "AUDIT" && e.GetProperty("username").GetString() == "admin");
        auditEvents.Select(e => e.GetProperty("description").GetString()).ShouldContain("done with it");
        auditEvents.Count.ShouldBeGreaterThanOrEqualTo(6);
    }

    [Fact]
    public async Task A_user_cannot_delete_a_zone_or_release_another_users_machine()
    {
        var anvild = fixture.Anvild;
        (await _cli.RunAsync("login", "admin", anvild.Url, anvild.AdminKey)).ExitCode.ShouldBe(0);
        var username = Admin.Unique("bob");
        await Ok("admin", "users", "create", $"username={username}", $"email={username}@example.com", "password=s3cret-pass", "is_superuser=0");
        var key = await LoginKeyAsync(anvild, username, "s3cret-pass");
        (await _cli.RunAsync("login", "bob", anvild.Url, key)).ExitCode.ShouldBe(0);

        var zone = Admin.Unique("zone");
        await Ok("admin", "zones", "create", $"name={zone}");
        var deleteZone = await _cli.RunAsync("bob", "zone", "delete", zone);
        deleteZone.ExitCode.ShouldBe(2);
        using var bobClient = Admin.Client(anvild, key);
        (await Admin.StatusAsync(bobClient, HttpMethod.Delete, $"zones/{zone}/")).ShouldBe(HttpStatusCode.Forbidden);
        await Ok("admin", "zone", "read", zone);

        using var admin = Admin.Client(anvild);
        var tag = await Admin.TagAsync(admin, Admin.Unique("owned"));
        var systemId = await Admin.ReadyMachineAsync(admin, 4, 4096, tag);
        (await Ok("admin", "machines", "allocate", $"tags={tag}")).GetProperty("system_id").GetString().ShouldBe(systemId);
        var release = await _cli.RunAsync("bob", "machine", "release", systemId);
        release.ExitCode.ShouldBe(2);
        (await Admin.StatusAsync(bobClient, HttpMethod.Post, $"machines/{systemId}/", "release")).ShouldBe(HttpStatusCode.Forbidden);
        var machine = await Ok("admin", "machine", "read", systemId);
        machine.GetProperty("status_name").GetString().ShouldBe("Allocated");
        machine.GetProperty("owner").GetString().ShouldBe("admin");
    }

    /// <summary>A root tarball of one file: what an uploaded image is, small.</summary>
    private static byte[] RootTarball()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/hostname") { DataStream = new MemoryStream("cli-session\n"u8.ToArray()) });
        }

        return buffer.ToArray();
    }

    private async Task<JsonElement> Ok(params string[] args)
    {
        var result = await _cli.RunAsync(args);
        result.ExitCode.ShouldBe(0, $"anvil {string.Join(' ', args)} failed:\n{result.Error}\n{result.Out}");
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.Clone();
    }

    private static async Task<string> LoginKeyAsync(AnvildProcess anvild, string username, string password)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(
            $"{anvild.Url}/accounts/authenticate/",
            new FormUrlEncodedContent([new("username", username), new("password", password)]));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var r = json.RootElement;
        return $"{r.GetProperty("consumer_key").GetString()}:{r.GetProperty("token_key").GetString()}:{r.GetProperty("token_secret").GetString()}";
    }
}
