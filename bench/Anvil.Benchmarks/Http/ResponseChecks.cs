using System.Text;
using System.Text.Json;

namespace Anvil.Benchmarks.Http;

/// <summary>What a response must contain before its timing may count: a broken server is never fast.</summary>
internal static class ResponseChecks
{
    /// <summary>A JSON array holding exactly the expected machines, each with its NICs, disks and tags.</summary>
    public static void Listing(ReadOnlyMemory<byte> body, IReadOnlyCollection<string> expectedSystemIds)
    {
        using var json = Parse(body);
        if (json.RootElement.ValueKind != JsonValueKind.Array || json.RootElement.GetArrayLength() != expectedSystemIds.Count)
            throw new BenchmarkFailedException($"the listing is not an array of {expectedSystemIds.Count} machines.");
        var expected = expectedSystemIds.ToHashSet(StringComparer.Ordinal);
        foreach (var machine in json.RootElement.EnumerateArray())
        {
            var systemId = machine.GetProperty("system_id").GetString() ?? "";
            if (!expected.Remove(systemId))
                throw new BenchmarkFailedException($"the listing has an unexpected or repeated machine '{systemId}'.");
            Machine(machine, systemId);
        }
    }

    /// <summary>One machine object, the one asked for, complete.</summary>
    public static void Item(ReadOnlyMemory<byte> body, string systemId)
    {
        using var json = Parse(body);
        Machine(json.RootElement, systemId);
    }

    /// <summary>Cheap enough for every request of the throughput run: the object starts with the right system_id.</summary>
    public static void ItemPrefix(ReadOnlySpan<byte> body, string systemId)
    {
        var prefix = Encoding.UTF8.GetBytes($"{{\"system_id\":\"{systemId}\"");
        if (!body.StartsWith(prefix))
            throw new BenchmarkFailedException($"GET machines/{systemId}/ did not answer that machine.");
    }

    /// <summary>A JSON array of <paramref name="count"/> elements (the peer's answer).</summary>
    public static void ArrayOf(string json, int count)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.GetArrayLength() != count)
            throw new BenchmarkFailedException($"the peer returned {document.RootElement.GetArrayLength()} rows, expected {count}.");
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new BenchmarkFailedException($"the response is not JSON: {e.Message}");
        }
    }

    private static void Machine(JsonElement machine, string systemId)
    {
        if (machine.GetProperty("system_id").GetString() != systemId ||
            machine.GetProperty("interface_set").GetArrayLength() != 2 ||
            machine.GetProperty("blockdevice_set").GetArrayLength() != 2 ||
            machine.GetProperty("blockdevice_set")[0].GetProperty("partitions").GetArrayLength() != 1 ||
            machine.GetProperty("tag_names").GetArrayLength() != 3 ||
            machine.GetProperty("zone").GetProperty("name").GetString() is not { Length: > 0 } ||
            machine.GetProperty("cpu_count").GetInt32() < 1)
            throw new BenchmarkFailedException($"machine '{systemId}' is incomplete in the response.");
    }
}
