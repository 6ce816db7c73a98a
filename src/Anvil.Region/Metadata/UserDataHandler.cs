using Anvil.Data;
using Anvil.Data.Machines;
using Anvil.Data.Metadata;
using Anvil.Domain.Boot;
using Anvil.Domain.Errors;
using Anvil.Domain.Events;
using Anvil.Domain.Machines;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Machines;
using Dapper;
using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Metadata;

/// <summary>
/// <c>…/user-data</c> (maas-api.md §7.1): a deploying machine that asks is deployed (cloud-init
/// asking means the installed OS booted); a machine with nothing to do gets a power-off script; a
/// deployed one gets the user data it was deployed with (base64 decoded when it round-trips);
/// everything else gets the ephemeral environment's user data from <see cref="IEphemeralUserData"/>.
/// </summary>
internal sealed class UserDataHandler(Database db, IEphemeralUserData ephemeral)
{
    private const string ContentType = "application/octet-stream";

    /// <summary>Whether <c>user-data</c> has something for the node (the version index lists it only then).</summary>
    public bool HasUserData(MetadataNode node) =>
        node.Status is not ((int)NodeStatus.DEPLOYED or (int)NodeStatus.DEPLOYING) || node.DeployUserData is not null;

    public async Task<ApiResult> ReadAsync(MetadataRequest r)
    {
        if (r.Node is not { } key)
            return await EphemeralAsync(r, null, null, BootPurpose.Enlist);
        var (machine, deployUserData) = await db.InTransactionAsync(
            async (c, tx) =>
            {
                var m = await MachineStore.LockAsync(c, tx, key.SystemId, r.Aborted) ?? throw new ForbiddenException(NodeAuthenticator.UnknownNode);
                var before = m.Status;
                var events = new List<NodeEvent>();
                if (m.Status == NodeStatus.DEPLOYING && !r.Route.Curtin)
                {
                    NodeTransitions.Apply(m, NodeStatus.DEPLOYED);
                    m.StatusExpires = null;
                    events.Add(new NodeEvent(EventTypes.NODE_CHANGED_STATUS, "From 'Deploying' to 'Deployed'"));
                    events.Add(new NodeEvent(EventTypes.DEPLOYED));
                }
                else if (m.Status == NodeStatus.COMMISSIONING)
                {
                    events.Add(new NodeEvent(EventTypes.GATHERING_INFO));
                }

                await MachineOperations.SaveAsync(c, tx, m, before, new LifecycleOutcome(events, PowerRequest.None), null, r.Aborted);
                var data = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                    "SELECT deploy_user_data FROM node WHERE id = @id", new { id = m.Id }, tx, cancellationToken: r.Aborted));
                return (m, data);
            },
            r.Aborted);

        var purpose = BootDecision.For(machine);
        if (!r.Route.Curtin && purpose != BootPurpose.PowerOff && machine.Status is NodeStatus.DEPLOYED or NodeStatus.DEPLOYING)
        {
            return deployUserData is null
                ? ApiResult.Bytes(ReadOnlyMemory<byte>.Empty, ContentType, StatusCodes.Status404NotFound)
                : ApiResult.Bytes(Decode(deployUserData), ContentType);
        }

        return await EphemeralAsync(r, machine.SystemId, (int)machine.Status, purpose);
    }

    private async Task<ApiResult> EphemeralAsync(MetadataRequest r, string? systemId, int? status, BootPurpose purpose)
    {
        var data = await ephemeral.GetAsync(new EphemeralUserDataRequest(systemId, status, purpose, MetadataUrls.Base(r.Http.Request)), r.Aborted);
        return data is null
            ? ApiResult.Bytes(ReadOnlyMemory<byte>.Empty, ContentType, StatusCodes.Status404NotFound)
            : ApiResult.Bytes(data, systemId is null ? "text/plain" : ContentType);
    }

    /// <summary>
    /// User data must reach cloud-init as text or MIME; the API takes it base64. It is decoded
    /// when it is base64 that encodes back to itself (whitespace ignored), else sent as stored.
    /// </summary>
    public static byte[] Decode(string stored)
    {
        var stripped = string.Concat(stored.Where(ch => !char.IsWhiteSpace(ch)));
        var buffer = new byte[stripped.Length];
        if (stripped.Length > 0 && Convert.TryFromBase64String(stripped, buffer, out var written))
        {
            var decoded = buffer.AsSpan(0, written).ToArray();
            if (Convert.ToBase64String(decoded) == stripped)
                return decoded;
        }

        return System.Text.Encoding.UTF8.GetBytes(stored);
    }
}
