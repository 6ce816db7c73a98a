using System.Net;
using Anvil.Data;
using Anvil.Data.Metadata;
using Anvil.Data.Scripts;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Metadata;
using Anvil.Region.Tests.Support;
using Anvil.Testing;
using Anvil.Testing.Postgres;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Metadata;

/// <summary>Commissioning output reaches the registered <see cref="ICommissioningResults"/>, inside the signal's transaction.</summary>
public sealed class CommissioningResultsTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly RecordingProcessor _processor = new();
    private readonly ManualTimeProvider _clock = new();
    private TestDatabase? _database;
    private WebApplication? _app;

    private Database Db => _database!.Database;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddSingleton<ICommissioningResults>(_processor);
        builder.Services.AddAnvilData(_database.ConnectionString);
        builder.Services.AddRegion();
        foreach (var hosted in builder.Services.Where(d => d.ServiceType == typeof(IHostedService)).ToList())
            builder.Services.Remove(hosted);
        _app = builder.Build();
        _app.MapRegion();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    [Fact]
    public async Task Stdout_of_a_commissioning_script_is_handed_to_the_processor()
    {
        var (client, nodeId, resultId, name) = await CommissioningNodeAsync();

        var response = await MetadataHarness.SignalAsync(client, "WORKING", [("script_result_id", resultId.ToString())], [($"{name}.out", "{\"cpu\": 4}"u8.ToArray())]);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var output = _processor.Outputs.ShouldHaveSingleItem();
        output.NodeId.ShouldBe(nodeId);
        output.ScriptName.ShouldBe(name);
        output.Stdout.ToArray().ShouldBe("{\"cpu\": 4}"u8.ToArray());
        (await ResultStatusAsync(resultId)).ShouldBe(ScriptStatus.Passed);
    }

    [Fact]
    public async Task Output_the_processor_cannot_process_fails_the_script_and_undoes_its_writes()
    {
        var (client, nodeId, resultId, name) = await CommissioningNodeAsync();
        _processor.FailWith = new InvalidOperationException("garbage");

        await MetadataHarness.SignalAsync(client, "WORKING", [("script_result_id", resultId.ToString())], [($"{name}.out", "garbage"u8.ToArray())]);

        (await ResultStatusAsync(resultId)).ShouldBe(ScriptStatus.Failed);
        (await Db.ReadAsync(c => c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT cpu_count FROM node WHERE id = @nodeId", new { nodeId })), Ct)).ShouldBe(0);
        (await Db.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM event WHERE node_id = @nodeId AND type = 'SCRIPT_RESULT_ERROR'", new { nodeId })), Ct)).ShouldBe(1);
        await MetadataHarness.SignalAsync(client, "OK");
        (await Db.ReadAsync(c => c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT status FROM node WHERE id = @nodeId", new { nodeId })), Ct))
            .ShouldBe((int)NodeStatus.FAILED_COMMISSIONING);
    }

    [Fact]
    public async Task Commissioning_that_passes_tells_the_processor()
    {
        var (client, nodeId, _, _) = await CommissioningNodeAsync();

        await MetadataHarness.SignalAsync(client, "OK");

        _processor.Passed.ShouldBe([nodeId]);
    }

    private async Task<(HttpClient Client, long NodeId, long ResultId, string Name)> CommissioningNodeAsync()
    {
        var name = RegionTestHost.Unique("s");
        var (nodeId, resultId, key) = await Db.InTransactionAsync(
            async (c, tx) =>
            {
                var systemId = RegionTestHost.Unique("n")[..8];
                var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    INSERT INTO node (system_id, hostname, status, domain_id, zone_id, pool_id)
                    VALUES (@systemId, @systemId, @status, 0, (SELECT id FROM zone WHERE name = 'default'), (SELECT id FROM resource_pool WHERE name = 'default'))
                    RETURNING id
                    """,
                    new { systemId, status = (int)NodeStatus.COMMISSIONING },
                    tx));
                var scriptId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO script (name, script_type) VALUES (@name, 0) RETURNING id", new { name }, tx));
                await c.ExecuteAsync(new CommandDefinition("INSERT INTO script_version (script_id, data) VALUES (@scriptId, 'x')", new { scriptId }, tx));
                var setId = await ScriptSetStore.CreateAsync(c, tx, id, ResultType.Commissioning, "unknown", [], [], Ct);
                var script = (await ScriptCatalog.ByIdsAsync(c, tx, [scriptId], Ct))[scriptId];
                var resultId = await ScriptResultStore.AddPendingAsync(c, tx, setId, script, "{}", Ct);
                await ScriptSetStore.SetCurrentAsync(c, tx, id, ResultType.Commissioning, setId, Ct);
                return (id, resultId, await NodeKeyStore.GetOrCreateAsync(c, tx, id, Ct));
            },
            Ct);
        var handler = new OAuthPlaintextHandler(key.ConsumerKey, key.TokenKey, key.TokenSecret, _clock) { InnerHandler = _app!.GetTestServer().CreateHandler() };
        return (new HttpClient(handler) { BaseAddress = new Uri(MetadataHarness.Base) }, nodeId, resultId, name);
    }

    private Task<ScriptStatus> ResultStatusAsync(long resultId) =>
        Db.ReadAsync(c => c.ExecuteScalarAsync<ScriptStatus>(new CommandDefinition("SELECT status FROM script_result WHERE id = @resultId", new { resultId })), Ct);

    /// <summary>Records what it is given; writes to the machine first so that a rollback can be seen.</summary>
    private sealed class RecordingProcessor : ICommissioningResults
    {
        public List<CommissioningOutput> Outputs { get; } = [];
        public List<long> Passed { get; } = [];
        public Exception? FailWith { get; set; }

        public async Task ProcessAsync(CommissioningOutput output, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE node SET cpu_count = 4 WHERE id = @NodeId", new { output.NodeId }, transaction, cancellationToken: cancellationToken));
            if (FailWith is not null)
                throw FailWith;
            Outputs.Add(output);
        }

        public Task CommissioningPassedAsync(long nodeId, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
        {
            Passed.Add(nodeId);
            return Task.CompletedTask;
        }
    }
}
