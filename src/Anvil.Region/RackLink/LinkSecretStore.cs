using Anvil.Data;
using Anvil.Data.Config;
using Anvil.Rpc;

namespace Anvil.Region.RackLink;

/// <summary>
/// The shared secret racks authenticate with, kept in the database (so every region has the same
/// one) under a config name the API never shows. The first region to start creates it.
/// </summary>
public sealed class LinkSecretStore(Database db)
{
    public const string ConfigName = "rpc_shared_secret";

    private SharedSecret? cached;

    public async Task<SharedSecret> GetOrCreateAsync(CancellationToken ct)
    {
        if (cached is not null)
            return cached;
        var hex = await db.InTransactionAsync((c, tx) => ConfigStore.GetOrAddInternalAsync(c, tx, ConfigName, SharedSecret.Generate().ToHex(), ct), ct);
        cached = SharedSecret.Parse(hex);
        return cached;
    }
}
