using System.Globalization;
using Dapper;
using Npgsql;

namespace Anvil.Data.Scripts;

/// <summary>Scripts and their versions (0005_scripts.sql). Every method runs on the caller's connection and transaction.</summary>
public static class ScriptStore
{
    private const string Columns =
        """
        id, name, title, description, tags, script_type, hardware_type, parallel, timeout_seconds, destructive, is_default,
        may_reboot, recommission, apply_configured_networking, for_hardware, parameters::text AS parameters,
        packages::text AS packages, results::text AS results, created, updated
        """;

    public static async Task<IReadOnlyList<ScriptRecord>> ListAsync(NpgsqlConnection c, int? scriptType, int? hardwareType, CancellationToken ct) =>
        (await c.QueryAsync<ScriptRecord>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM script
            WHERE (@scriptType::int IS NULL OR script_type = @scriptType) AND (@hardwareType::int IS NULL OR hardware_type = @hardwareType)
            ORDER BY id
            """,
            new { scriptType, hardwareType },
            cancellationToken: ct))).AsList();

    /// <summary>A script by name, or by id when <paramref name="nameOrId"/> is all digits (MAAS's lookup); optionally locked.</summary>
    public static Task<ScriptRecord?> FindAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string nameOrId, bool forUpdate, CancellationToken ct)
    {
        var byId = nameOrId.Length is > 0 and < 19 && nameOrId.All(char.IsAsciiDigit);
        var where = byId ? "id = @id" : "name = @nameOrId";
        var id = byId ? long.Parse(nameOrId, CultureInfo.InvariantCulture) : 0;
        return c.QuerySingleOrDefaultAsync<ScriptRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM script WHERE {where}{(forUpdate ? " FOR UPDATE" : "")}", new { id, nameOrId }, tx, cancellationToken: ct));
    }

    /// <summary>Inserts the script and its first version; null when the name is taken.</summary>
    public static async Task<ScriptRecord?> InsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, ScriptRecord script, string data, string comment, CancellationToken ct)
    {
        var inserted = await c.QuerySingleOrDefaultAsync<ScriptRecord>(new CommandDefinition(
            $"""
            INSERT INTO script (name, title, description, tags, script_type, hardware_type, parallel, timeout_seconds, destructive, is_default,
                                may_reboot, recommission, apply_configured_networking, for_hardware, parameters, packages, results)
            VALUES (@Name, @Title, @Description, @Tags, @ScriptType, @HardwareType, @Parallel, @TimeoutSeconds, @Destructive, @IsDefault,
                    @MayReboot, @Recommission, @ApplyConfiguredNetworking, @ForHardware, @Parameters::jsonb, @Packages::jsonb, @Results::jsonb)
            ON CONFLICT (name) DO NOTHING
            RETURNING {Columns}
            """,
            script,
            tx,
            cancellationToken: ct));
        if (inserted is not null)
            await AddVersionAsync(c, tx, inserted.Id, data, comment, ct);
        return inserted;
    }

    /// <summary>Writes every field of <paramref name="script"/>; a taken name surfaces as a unique violation.</summary>
    public static Task<ScriptRecord> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, ScriptRecord script, CancellationToken ct) =>
        c.QuerySingleAsync<ScriptRecord>(new CommandDefinition(
            $"""
            UPDATE script SET name = @Name, title = @Title, description = @Description, tags = @Tags, script_type = @ScriptType,
                hardware_type = @HardwareType, parallel = @Parallel, timeout_seconds = @TimeoutSeconds, destructive = @Destructive,
                may_reboot = @MayReboot, recommission = @Recommission, apply_configured_networking = @ApplyConfiguredNetworking,
                for_hardware = @ForHardware, parameters = @Parameters::jsonb, packages = @Packages::jsonb, results = @Results::jsonb,
                updated = now()
            WHERE id = @Id
            RETURNING {Columns}
            """,
            script,
            tx,
            cancellationToken: ct));

    public static Task<long> AddVersionAsync(NpgsqlConnection c, NpgsqlTransaction tx, long scriptId, string data, string comment, CancellationToken ct) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO script_version (script_id, data, comment) VALUES (@scriptId, @data, @comment) RETURNING id",
            new { scriptId, data, comment },
            tx,
            cancellationToken: ct));

    /// <summary>Each script's versions, newest (current) first.</summary>
    public static async Task<ILookup<long, ScriptVersionRecord>> VersionsAsync(NpgsqlConnection c, NpgsqlTransaction? tx, IReadOnlyList<long> scriptIds, CancellationToken ct) =>
        (await c.QueryAsync<ScriptVersionRecord>(new CommandDefinition(
            "SELECT id, script_id, data, comment, created FROM script_version WHERE script_id = ANY(@ids) ORDER BY script_id, id DESC",
            new { ids = scriptIds.ToArray() },
            tx,
            cancellationToken: ct))).ToLookup(v => v.ScriptId);

    /// <summary>Drops the versions newer than <paramref name="versionId"/>, making it current.</summary>
    public static Task<int> DeleteVersionsAfterAsync(NpgsqlConnection c, NpgsqlTransaction tx, long scriptId, long versionId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM script_version WHERE script_id = @scriptId AND id > @versionId", new { scriptId, versionId }, tx, cancellationToken: ct));

    public static Task DeleteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("DELETE FROM script WHERE id = @id", new { id }, tx, cancellationToken: ct));

    public static Task TouchAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("UPDATE script SET updated = now() WHERE id = @id", new { id }, tx, cancellationToken: ct));
}
