using System.Text.Json.Nodes;
using Anvil.Data.Config;
using Anvil.Domain.Errors;
using Anvil.Region.Deploy;
using Anvil.Region.Storage;
using Anvil.Region.Tests.Api.Storage;
using Anvil.Region.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;
using static Anvil.Region.Tests.Api.Storage.StorageSetup;

namespace Anvil.Region.Tests.Storage;

public sealed class StorageConfigSourceTests(RegionTestHost host) : IClassFixture<RegionTestHost>
{
    private readonly StorageSetup _setup = new(host);

    private Task<long> NodeIdAsync(string systemId) =>
        host.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT id FROM node WHERE system_id = @systemId", new { systemId }), CancellationToken.None);

    [Fact]
    public async Task RenderAsync_renders_the_stored_layout_as_curtin_entries()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, _) = await _setup.ReadyMachineAsync(admin, 20 * GB);
        await SetLayoutAsync(admin, systemId, "lvm");

        var config = await host.Services.GetRequiredService<IStorageConfigSource>().RenderAsync(await NodeIdAsync(systemId), CancellationToken.None);

        config.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["disk", "partition", "partition", "lvm_volgroup", "lvm_partition", "format", "mount"]);
        config.OfType<JsonObject>().Single(e => e["type"]!.GetValue<string>() == "mount")["path"]!.GetValue<string>().ShouldBe("/");
    }

    [Fact]
    public async Task RenderAsync_refuses_a_machine_with_nothing_mounted_at_root()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, _) = await _setup.ReadyMachineAsync(admin, 20 * GB);
        var nodeId = await NodeIdAsync(systemId);

        var e = await Should.ThrowAsync<ValidationException>(() => host.Services.GetRequiredService<IStorageConfigSource>().RenderAsync(nodeId, CancellationToken.None));

        e.FieldErrors.Keys.ShouldBe(["storage"]);
    }

    [Fact]
    public async Task ApplyAsync_applies_the_configured_default_layout_and_reports_when_it_cannot()
    {
        var admin = await host.CreateUserAsync(admin: true);
        var (systemId, _) = await _setup.ReadyMachineAsync(admin, 20 * GB);
        var (bare, _) = await _setup.ReadyMachineAsync(admin);
        var nodeId = await NodeIdAsync(systemId);
        var bareId = await NodeIdAsync(bare);
        await host.Database.InTransactionAsync((c, tx) => ConfigStore.SetAsync(c, tx, "default_storage_layout", JsonValue.Create("lvm"), CancellationToken.None), CancellationToken.None);

        try
        {
            (await host.Database.InTransactionAsync((c, tx) => DefaultStorageLayout.ApplyAsync(c, tx, nodeId, CancellationToken.None), CancellationToken.None)).ShouldBeTrue();
            (await host.Database.InTransactionAsync((c, tx) => DefaultStorageLayout.ApplyAsync(c, tx, bareId, CancellationToken.None), CancellationToken.None)).ShouldBeFalse();
        }
        finally
        {
            await host.Database.InTransactionAsync((c, tx) => ConfigStore.SetAsync(c, tx, "default_storage_layout", JsonValue.Create("flat"), CancellationToken.None), CancellationToken.None);
        }

        var machine = await MachineAsync(admin, systemId);
        machine.GetProperty("volume_groups").GetArrayLength().ShouldBe(1);
        ShouldBeMountedAt(machine.GetProperty("virtualblockdevice_set")[0], "ext4", "/");
    }
}
