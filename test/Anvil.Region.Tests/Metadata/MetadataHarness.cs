using System.Net.Http.Headers;
using Anvil.Data.Metadata;
using Anvil.Data.Scripts;
using Anvil.Domain.Machines;
using Anvil.Domain.Scripts;
using Anvil.Region.Tests.Api.Machines;
using Anvil.Region.Tests.Support;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Region.Tests.Metadata;

/// <summary>
/// Talks to the metadata server as a node's script runner does: requests signed with the node's
/// own token (OAuth PLAINTEXT), signals as multipart forms with files, and puts the scripts,
/// states and script sets a test needs straight into the database.
/// </summary>
internal sealed class MetadataHarness(RegionTestHost host)
{
    public const string Base = "http://localhost/MAAS/metadata/";
    private static readonly CancellationToken Ct = CancellationToken.None;

    private TestServer Server => (TestServer)host.Services.GetRequiredService<IServer>();

    /// <summary>A machine in <paramref name="status"/> (power type manual, created through the API), with the node's key.</summary>
    public async Task<MetadataNodeUnderTest> CreateMachineAsync(NodeStatus status = NodeStatus.COMMISSIONING, NodeStatus previous = NodeStatus.NEW, long? ownerId = null)
    {
        var admin = await host.CreateUserAsync(admin: true);
        var systemId = await MachineSetup.CreateNewAsync(admin);
        await ExecuteAsync(
            "UPDATE node SET status = @status, previous_status = @previous, owner_id = @ownerId WHERE system_id = @systemId",
            new { status = (int)status, previous = (int)previous, ownerId, systemId });
        var nodeId = await ScalarAsync<long>("SELECT id FROM node WHERE system_id = @systemId", new { systemId });
        var key = await host.Database.InTransactionAsync((c, tx) => NodeKeyStore.GetOrCreateAsync(c, tx, nodeId, Ct), Ct);
        return new MetadataNodeUnderTest(nodeId, systemId, key, admin, ClientFor(key));
    }

    public HttpClient ClientFor(NodeKey key) => ClientFor(key.ConsumerKey, key.TokenKey, key.TokenSecret);

    public HttpClient ClientFor(string consumerKey, string tokenKey, string tokenSecret) =>
        new(new OAuthPlaintextHandler(consumerKey, tokenKey, tokenSecret, host.Clock) { InnerHandler = Server.CreateHandler() }) { BaseAddress = new Uri(Base) };

    public HttpMessageHandler AnonymousClientHandler() => Server.CreateHandler();

    public HttpClient AnonymousClient(string baseAddress = Base) => new(Server.CreateHandler()) { BaseAddress = new Uri(baseAddress) };

    /// <summary>POST op=signal as a multipart form, files named as the runner names them.</summary>
    public static Task<HttpResponseMessage> SignalAsync(HttpClient client, string status, IEnumerable<(string Key, string Value)>? fields = null, IEnumerable<(string Name, byte[] Content)>? files = null)
    {
        var form = new MultipartFormDataContent { { new StringContent("signal"), "op" }, { new StringContent(status), "status" } };
        foreach (var (key, value) in fields ?? [])
            form.Add(new StringContent(value), key);
        foreach (var (name, content) in files ?? [])
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, name, name);
        }

        return client.PostAsync("latest/", form);
    }

    /// <summary>A script with one version; returns its id and the version's id.</summary>
    public async Task<(long Id, long VersionId)> AddScriptAsync(
        string name, ScriptType type, string[]? tags = null, bool isDefault = false, string data = "#!/bin/sh\necho hi\n",
        string parameters = "{}", int timeoutSeconds = 0, bool mayReboot = false, bool recommission = false, string[]? forHardware = null)
    {
        return await host.Database.InTransactionAsync(
            async (c, tx) =>
            {
                var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    INSERT INTO script (name, script_type, tags, is_default, parameters, timeout_seconds, may_reboot, recommission, for_hardware)
                    VALUES (@name, @type, @tags, @isDefault, @parameters::jsonb, @timeoutSeconds, @mayReboot, @recommission, @forHardware) RETURNING id
                    """,
                    new { name, type = (int)type, tags = tags ?? [], isDefault, parameters, timeoutSeconds, mayReboot, recommission, forHardware = forHardware ?? [] },
                    tx));
                var versionId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO script_version (script_id, data) VALUES (@id, @data) RETURNING id", new { id, data }, tx));
                return (id, versionId);
            },
            Ct);
    }

    /// <summary>A current script set of <paramref name="type"/> for the node with a pending result per script.</summary>
    public async Task<(long SetId, IReadOnlyList<long> ResultIds)> AddSetAsync(long nodeId, ResultType type, params long[] scriptIds)
    {
        return await host.Database.InTransactionAsync(
            async (c, tx) =>
            {
                var setId = await ScriptSetStore.CreateAsync(c, tx, nodeId, type, "unknown", [], [], Ct);
                var scripts = await ScriptCatalog.ByIdsAsync(c, tx, scriptIds, Ct);
                var ids = new List<long>();
                foreach (var id in scriptIds)
                    ids.Add(await ScriptResultStore.AddPendingAsync(c, tx, setId, scripts[id], "{}", Ct));
                await ScriptSetStore.SetCurrentAsync(c, tx, nodeId, type, setId, Ct);
                return (setId, (IReadOnlyList<long>)ids);
            },
            Ct);
    }

    public Task<IReadOnlyList<ScriptResultRecord>> ResultsAsync(long setId) =>
        host.Database.ReadAsync(c => ScriptResultStore.ListAsync(c, null, setId, Ct), Ct);

    public async Task<ScriptResultRecord> ResultAsync(long resultId)
    {
        var setId = await ScalarAsync<long>("SELECT script_set_id FROM script_result WHERE id = @resultId", new { resultId });
        return (await ResultsAsync(setId)).Single(r => r.Id == resultId);
    }

    public Task<CurrentScriptSets> CurrentSetsAsync(long nodeId) => host.Database.ReadAsync(c => ScriptSetStore.CurrentAsync(c, null, nodeId, Ct), Ct);

    public async Task<NodeRow> NodeAsync(long nodeId) =>
        await host.Database.ReadAsync(
            c => c.QuerySingleAsync<NodeRow>(new CommandDefinition(
                """
                SELECT status, previous_status, owner_id, error_description, enlisting, netboot, power_type, power_parameters::text AS power_parameters
                FROM node WHERE id = @nodeId
                """,
                new { nodeId })),
            Ct);

    public async Task<IReadOnlyList<string>> EventTypesAsync(long nodeId) =>
        (await host.Database.ReadAsync(
            c => c.QueryAsync<string>(new CommandDefinition("SELECT type FROM event WHERE node_id = @nodeId ORDER BY id", new { nodeId })), Ct)).AsList();

    public async Task<IReadOnlyList<(string Type, string Description)>> EventsAsync(long nodeId) =>
        (await host.Database.ReadAsync(
            c => c.QueryAsync<(string, string)>(new CommandDefinition("SELECT type, description FROM event WHERE node_id = @nodeId ORDER BY id", new { nodeId })), Ct)).AsList();

    public Task ExecuteAsync(string sql, object? args = null) =>
        host.Database.InTransactionAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(sql, args, tx)), Ct);

    public Task<T> ScalarAsync<T>(string sql, object? args = null) =>
        host.Database.ReadAsync(async c => (await c.ExecuteScalarAsync<T>(new CommandDefinition(sql, args)))!, Ct);

    public static string Unique(string prefix) => RegionTestHost.Unique(prefix);
}

internal sealed record MetadataNodeUnderTest(long Id, string SystemId, NodeKey Key, TestUser Admin, HttpClient Client);

internal sealed class NodeRow
{
    public int Status { get; set; }
    public int PreviousStatus { get; set; }
    public long? OwnerId { get; set; }
    public string ErrorDescription { get; set; } = "";
    public bool Enlisting { get; set; }
    public bool Netboot { get; set; }
    public string PowerType { get; set; } = "";
    public string PowerParameters { get; set; } = "{}";

    public NodeStatus NodeStatus => (NodeStatus)Status;
}
