using Dapper;
using Npgsql;

namespace Anvil.Data.Metadata;

/// <summary>What the metadata server tells a node about itself.</summary>
public sealed class MetadataNode
{
    public long Id { get; set; }
    public string SystemId { get; set; } = "";
    public string Hostname { get; set; } = "";
    public string Domain { get; set; } = "";
    public int NodeType { get; set; }
    public int Status { get; set; }
    public bool EnableSsh { get; set; }
    public long? OwnerId { get; set; }

    /// <summary>The cloud-init user data given at deploy, as the API received it (usually base64).</summary>
    public string? DeployUserData { get; set; }

    public string Fqdn => Domain.Length == 0 ? Hostname : $"{Hostname}.{Domain}";

    public static Task<MetadataNode?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string systemId, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<MetadataNode?>(new CommandDefinition(
            """
            SELECT n.id, n.system_id, n.hostname, d.name AS domain, n.node_type, n.status, n.enable_ssh, n.owner_id, n.deploy_user_data
            FROM node n JOIN domain d ON d.id = n.domain_id WHERE n.system_id = @systemId
            """,
            new { systemId },
            tx,
            cancellationToken: ct));

    /// <summary>The owner's SSH public keys, oldest first; none without an owner.</summary>
    public static async Task<IReadOnlyList<string>> SshKeysAsync(NpgsqlConnection c, long? ownerId, CancellationToken ct) =>
        ownerId is null
            ? []
            : (await c.QueryAsync<string>(new CommandDefinition(
                "SELECT key FROM sshkey WHERE user_id = @ownerId ORDER BY id", new { ownerId }, cancellationToken: ct))).AsList();

    public static Task SetNetbootAsync(NpgsqlConnection c, NpgsqlTransaction tx, long nodeId, bool netboot, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "UPDATE node SET netboot = @netboot, updated = now() WHERE id = @nodeId", new { nodeId, netboot }, tx, cancellationToken: ct));
}
