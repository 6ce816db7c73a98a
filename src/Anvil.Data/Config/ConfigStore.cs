using System.Text.Json.Nodes;
using Anvil.Domain.Config;
using Dapper;
using Npgsql;

namespace Anvil.Data.Config;

/// <summary>Stored configuration values; unset names read as the catalog's default.</summary>
public sealed class ConfigStore(Database db)
{
    public Task<JsonNode?> GetAsync(string name, CancellationToken ct) => db.ReadAsync(c => GetAsync(c, null, name, ct), ct);

    public static async Task<JsonNode?> GetAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string name, CancellationToken ct)
    {
        var setting = ConfigCatalog.Get(name);
        var stored = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT value::text FROM config WHERE name = @name", new { name = setting.Name }, tx, cancellationToken: ct));
        return stored is null ? setting.Default?.DeepClone() : JsonNode.Parse(stored);
    }

    public async Task<int> GetIntAsync(string name, CancellationToken ct) =>
        (await GetAsync(name, ct))?.GetValue<int>() ?? 0;

    public static Task SetAsync(NpgsqlConnection c, NpgsqlTransaction tx, string name, JsonNode? value, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO config (name, value) VALUES (@name, @value::jsonb) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            new { name, value = value?.ToJsonString() ?? "null" },
            tx,
            cancellationToken: ct));
}
