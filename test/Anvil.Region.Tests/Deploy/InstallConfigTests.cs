using System.Net;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Storage;
using Anvil.Region.Tests.Metadata;
using Anvil.Region.Tests.Support;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Deploy;

/// <summary><c>…/install-config</c>: what the installer in the ephemeral environment carries out (docs/architecture/deployment.md).</summary>
public sealed class InstallConfigTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly MetadataHarness _md = new(host);

    [Fact]
    public async Task A_deploying_machine_gets_its_storage_image_network_and_credentials()
    {
        var series = $"s{Guid.NewGuid():N}"[..12];
        var node = await DeployingMachineAsync("debian", series);
        var sha = await AddImageAsync($"debian/{series}");

        var response = await node.Client.GetAsync("latest/install-config");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var config = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        config.GetProperty("version").GetInt32().ShouldBe(1);
        config.GetProperty("system_id").GetString().ShouldBe(node.SystemId);
        (config.GetProperty("osystem").GetString(), config.GetProperty("distro_series").GetString()).ShouldBe(("debian", series));
        var image = config.GetProperty("image");
        image.GetProperty("filetype").GetString().ShouldBe("root-tgz");
        image.GetProperty("sha256").GetString().ShouldBe(sha);
        image.GetProperty("url").GetString()!.ShouldEndWith($":5248/images/{sha[..7]}/debian/amd64/generic/{series}/uploaded/root-tgz");
        var entries = config.GetProperty("storage").GetProperty("config").EnumerateArray().ToList();
        entries.ShouldContain(e => e.GetProperty("type").GetString() == "disk" && e.GetProperty("serial").GetString() == "SERIAL-" + node.SystemId);
        entries.ShouldContain(e => e.GetProperty("type").GetString() == "mount" && e.GetProperty("path").GetString() == "/");
        var datasource = config.GetProperty("datasource");
        (datasource.GetProperty("consumer_key").GetString(), datasource.GetProperty("token_key").GetString(), datasource.GetProperty("token_secret").GetString())
            .ShouldBe((node.Key.ConsumerKey, node.Key.TokenKey, node.Key.TokenSecret));
        datasource.GetProperty("metadata_url").GetString()!.ShouldEndWith("/MAAS/metadata/");
        config.GetProperty("network").GetProperty("version").GetInt32().ShouldBe(2);
        config.GetProperty("reporting_url").GetString()!.ShouldEndWith($"/MAAS/metadata/status/{node.SystemId}");
    }

    [Fact]
    public async Task The_curtin_path_serves_it_too()
    {
        var series = $"s{Guid.NewGuid():N}"[..12];
        var node = await DeployingMachineAsync("debian", series);
        await AddImageAsync($"debian/{series}");

        (await node.Client.GetAsync("curtin/latest/install-config")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_machine_that_is_not_installing_gets_404_so_the_runner_runs_scripts()
    {
        var commissioning = await _md.CreateMachineAsync(NodeStatus.COMMISSIONING);
        var booted = await DeployingMachineAsync("debian", "bookworm");
        await _md.ExecuteAsync("UPDATE node SET netboot = false WHERE id = @id", new { id = booted.Id });

        (await commissioning.Client.GetAsync("latest/install-config")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await booted.Client.GetAsync("latest/install-config")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_an_image_the_installer_is_told_why_with_409_and_nothing_changes()
    {
        var node = await DeployingMachineAsync("debian", $"none{Guid.NewGuid():N}"[..12]);

        var response = await node.Client.GetAsync("latest/install-config");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).ShouldContain("No boot image for debian/");
        (await _md.NodeAsync(node.Id)).NodeStatus.ShouldBe(NodeStatus.DEPLOYING);
    }

    [Fact]
    public async Task An_unsigned_request_is_refused()
    {
        (await _md.AnonymousClient().GetAsync("latest/install-config")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    /// <summary>A Deploying machine with netboot on, one 20 GB disk and the default (flat) layout applied.</summary>
    private async Task<MetadataNodeUnderTest> DeployingMachineAsync(string osystem, string series)
    {
        var node = await _md.CreateMachineAsync(NodeStatus.DEPLOYING, NodeStatus.ALLOCATED);
        await _md.ExecuteAsync(
            """
            UPDATE node SET netboot = true, osystem = @osystem, distro_series = @series, architecture = 'amd64/generic' WHERE id = @id;
            INSERT INTO blockdevice (node_id, name, model, serial, id_path, size, block_size, tags)
            VALUES (@id, 'vda', 'QEMU HARDDISK', 'SERIAL-' || @systemId, NULL, 20000000000, 512, '{rotary}');
            """,
            new { id = node.Id, osystem, series, systemId = node.SystemId });
        (await host.Database.InTransactionAsync((c, tx) => DefaultStorageLayout.ApplyAsync(c, tx, node.Id, CancellationToken.None), CancellationToken.None)).ShouldBeTrue();
        return node;
    }

    private Task<string> AddImageAsync(string name) => TestImages.AddAsync(host.Database, name);
}
