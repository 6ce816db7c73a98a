using Anvil.Data.Scripts;
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

    [Theory]
    [InlineData("modalias:pci:v00008086d0000100Esv*", true)]
    [InlineData("modalias:pci:v00001AF4d00001000*", false)]
    [InlineData("modalias:dmi:*svnQEMU:*", true)]
    [InlineData("pci:8086:100e", true)]
    [InlineData("usb:0627:0001", false)]
    public async Task A_modalias_entry_matches_the_modaliases_commissioning_listed(string forHardware, bool applies)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var c = await database.DataSource.OpenConnectionAsync();
        var nodeId = await c.ExecuteScalarAsync<long>("INSERT INTO node (system_id, hostname, domain_id, zone_id) VALUES ('sel2', 'sel2', 0, 1) RETURNING id");
        var setId = await c.ExecuteScalarAsync<long>("INSERT INTO script_set (node_id, result_type) VALUES (@nodeId, 0) RETURNING id", new { nodeId });
        // An older run listed other hardware; the newest passed one counts, a failed one never.
        const string older = "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00\n";
        const string listed = "dmi:bvnSeaBIOS:bvr1.16:svnQEMU:pnStandardPC:\npci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\n\n";
        await c.ExecuteAsync(
            """
            INSERT INTO script_result (script_set_id, script_name, status, stdout) VALUES
                (@setId, 'maas-list-modaliases', 2, convert_to(E'{older}', 'UTF8')),
                (@setId, 'maas-list-modaliases', 2, convert_to(E'{listed}', 'UTF8')),
                (@setId, 'maas-list-modaliases', 3, convert_to(E'usb:v0627p0001d0000dc00dsc00dp00ic03isc00ip00in00\n', 'UTF8'))
            """.Replace("{older}", older, StringComparison.Ordinal).Replace("{listed}", listed, StringComparison.Ordinal),
            new { setId });
        await using var tx = await c.BeginTransactionAsync();
        var script = new ScriptRecord { Name = "nic-check", ForHardware = [forHardware] };

        (await ScriptSelection.AppliesToNodeAsync(c, tx, nodeId, script, CancellationToken.None)).ShouldBe(applies);
    }
}
