using Anvil.Data;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Anvil.Region.Scripts;

/// <summary>
/// Puts the built-in scripts into <c>script</c> (<c>is_default</c>) at start-up, adding a
/// <c>script_version</c> only when a script's text changed. Regions starting together take turns
/// on an advisory lock, so each script gets one row and one version per text.
/// </summary>
internal sealed partial class BuiltinScriptSeeder(Database db, ILogger<BuiltinScriptSeeder> logger) : IHostedService
{
    // pg_advisory_xact_lock key: "anvil builtin scripts", arbitrary but fixed.
    private const long LockKey = 0x616e76696c5f6273;

    public Task StartAsync(CancellationToken cancellationToken) => SeedAsync(BuiltinScript.LoadAll(), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<SeedOutcome> SeedAsync(IReadOnlyList<BuiltinScript> scripts, CancellationToken ct)
    {
        var outcome = await db.InTransactionAsync(
            async (c, tx) =>
            {
                await c.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@LockKey)", new { LockKey }, tx, cancellationToken: ct));
                var outcome = new SeedOutcome();
                foreach (var script in scripts)
                    await UpsertAsync(c, tx, script, outcome, ct);
                return outcome;
            },
            ct);
        LogSeeded(logger, scripts.Count, outcome.Created, outcome.NewVersions);
        foreach (var name in outcome.SkippedUserScripts)
            LogShadowed(logger, name);
        return outcome;
    }

    private static async Task UpsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, BuiltinScript script, SeedOutcome outcome, CancellationToken ct)
    {
        var existing = await c.QuerySingleOrDefaultAsync<ExistingScript>(new CommandDefinition(
            "SELECT id, is_default FROM script WHERE name = @Name", new { script.Name }, tx, cancellationToken: ct));
        var row = new
        {
            script.Name,
            script.Title,
            script.Description,
            script.Tags,
            scriptType = (int)script.ScriptType,
            hardwareType = (int)script.HardwareType,
            parallel = (int)script.Parallel,
            script.TimeoutSeconds,
            script.Destructive,
            script.MayReboot,
            script.Recommission,
            script.ForHardware,
            script.Parameters,
            script.Packages,
            script.Results,
        };
        long id;
        if (existing is null)
        {
            id = await c.QuerySingleAsync<long>(new CommandDefinition(
                """
                INSERT INTO script (name, title, description, tags, script_type, hardware_type, parallel, timeout_seconds, destructive,
                    is_default, may_reboot, recommission, for_hardware, parameters, packages, results)
                VALUES (@Name, @Title, @Description, @Tags, @scriptType, @hardwareType, @parallel, @TimeoutSeconds, @Destructive,
                    true, @MayReboot, @Recommission, @ForHardware, @Parameters::jsonb, @Packages::jsonb, @Results::jsonb)
                RETURNING id
                """,
                row,
                tx,
                cancellationToken: ct));
            outcome.Created++;
        }
        else if (!existing.IsDefault)
        {
            // A user script already has the name; it is theirs to keep.
            outcome.SkippedUserScripts.Add(script.Name);
            return;
        }
        else
        {
            id = existing.Id;
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE script SET title = @Title, description = @Description, tags = @Tags, script_type = @scriptType,
                    hardware_type = @hardwareType, parallel = @parallel, timeout_seconds = @TimeoutSeconds, destructive = @Destructive,
                    may_reboot = @MayReboot, recommission = @Recommission, for_hardware = @ForHardware, parameters = @Parameters::jsonb,
                    packages = @Packages::jsonb, results = @Results::jsonb, updated = now()
                WHERE name = @Name AND (title, description, tags, script_type, hardware_type, parallel, timeout_seconds, destructive,
                    may_reboot, recommission, for_hardware, parameters, packages, results)
                    IS DISTINCT FROM (@Title, @Description, @Tags, @scriptType, @hardwareType, @parallel, @TimeoutSeconds, @Destructive,
                    @MayReboot, @Recommission, @ForHardware, @Parameters::jsonb, @Packages::jsonb, @Results::jsonb)
                """,
                row,
                tx,
                cancellationToken: ct));
        }

        var latest = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT data FROM script_version WHERE script_id = @id ORDER BY id DESC LIMIT 1", new { id }, tx, cancellationToken: ct));
        if (latest == script.Text)
            return;
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO script_version (script_id, data, comment) VALUES (@id, @Text, @comment)",
            new { id, script.Text, comment = latest is null ? "Built in" : "Built in, updated" },
            tx,
            cancellationToken: ct));
        outcome.NewVersions++;
    }

    private sealed record ExistingScript(long Id, bool IsDefault);

    [LoggerMessage(EventId = 7700, Level = LogLevel.Information, Message = "Built-in scripts: {Count} shipped, {Created} new, {Versions} new version(s)")]
    private static partial void LogSeeded(ILogger logger, int count, int created, int versions);

    [LoggerMessage(EventId = 7701, Level = LogLevel.Warning, Message = "Built-in script {Name} not installed: a user script has that name")]
    private static partial void LogShadowed(ILogger logger, string name);
}

internal sealed class SeedOutcome
{
    public int Created { get; set; }
    public int NewVersions { get; set; }
    public List<string> SkippedUserScripts { get; } = [];
}
