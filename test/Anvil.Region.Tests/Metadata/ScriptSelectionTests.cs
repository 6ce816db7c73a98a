using Anvil.Data.Metadata;
using Anvil.Region.Metadata;
using Anvil.Testing.Postgres;
using Dapper;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

/// <summary>for_hardware against what commissioning recorded: PCI/USB devices and hardware_info.</summary>
public sealed class ScriptSelectionTests
{
    [Theory]
    [InlineData("pci:8086:100e", true)]
    [InlineData("pci:1af4:1000", false)]
    [InlineData("usb:0627:0001", true)]
    [InlineData("system_vendor:QEMU", true)]
    [InlineData("system_vendor:Dell Inc.", false)]
    [InlineData("", true)]
    public async Task A_for_hardware_script_applies_only_to_a_node_with_that_hardware(string forHardware, bool applies)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        var nodeId = await c.ExecuteScalarAsync<long>(
            """INSERT INTO node (system_id, hostname, domain_id, zone_id, hardware_info) VALUES ('sel1', 'sel1', 0, 1, '{"system_vendor": "QEMU"}') RETURNING id""");
        await c.ExecuteAsync(
            "INSERT INTO node_device (node_id, bus, vendor_id, product_id) VALUES (@nodeId, 1, '8086', '100E'), (@nodeId, 2, '0627', '0001')", new { nodeId });
        await using var tx = await c.BeginTransactionAsync();
        var script = new ScriptRecord { Name = "nic-check", ForHardware = forHardware.Length == 0 ? [] : [forHardware] };

        (await ScriptSelection.AppliesToNodeAsync(c, tx, nodeId, script, CancellationToken.None)).ShouldBe(applies);
    }
}
