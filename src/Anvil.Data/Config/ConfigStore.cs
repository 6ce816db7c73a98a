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

    /// <summary>
    /// An internal value the API never shows (not in the catalog), e.g. the rack link's shared
    /// secret; stored once and never replaced, so concurrent first writers agree on one value.
    /// </summary>
    public static async Task<string> GetOrAddInternalAsync(NpgsqlConnection c, NpgsqlTransaction tx, string name, string candidate, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO config (name, value) VALUES (@name, to_jsonb(@candidate::text)) ON CONFLICT (name) DO NOTHING", new { name, candidate }, tx, cancellationToken: ct));
        return await c.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT value #>> '{}' FROM config WHERE name = @name", new { name }, tx, cancellationToken: ct));
    }

    public async Task<int> GetIntAsync(string name, CancellationToken ct) =>
        (await GetAsync(name, ct))?.GetValue<int>() ?? 0;

    public async Task<bool> GetBoolAsync(string name, CancellationToken ct) =>
        await GetAsync(name, ct) is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    public static Task SetAsync(NpgsqlConnection c, NpgsqlTransaction tx, string name, JsonNode? value, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO config (name, value) VALUES (@name, @value::jsonb) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            new { name, value = value?.ToJsonString() ?? "null" },
            tx,
            cancellationToken: ct));
}
