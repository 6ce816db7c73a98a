using Anvil.Data.Events;
using Anvil.Domain.Events;
using Anvil.Region.Api.Framework;
using Npgsql;

namespace Anvil.Region.Api.Resources;

/// <summary>Writes the AUDIT event of a user's change, inside the transaction of the change itself.</summary>
internal static class ApiAudit
{
    public static Task RecordAsync(NpgsqlConnection c, NpgsqlTransaction tx, ApiRequest request, string type, string description) =>
        EventStore.RecordAsync(c, tx, nodeId: null, new NodeEvent(type, description), request.Caller.ToActor(), request.Aborted);
}
