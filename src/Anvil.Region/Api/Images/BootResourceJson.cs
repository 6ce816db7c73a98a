using System.Globalization;
using System.Text.Json;
using Anvil.Data.Images;
using Anvil.Domain.Images;
using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;

namespace Anvil.Region.Api.Images;

/// <summary>
/// Boot resources as MAAS renders them (maas-api.md §3.17): id, type label, name, architecture,
/// resource_uri, last_deployed, the resource's extra fields (title, subarches…) and base_image for
/// custom images; a single resource adds its sets, each file with its progress and, while an
/// uploaded file is incomplete, the <c>upload_uri</c> to PUT chunks to.
/// </summary>
internal static class BootResourceJson
{
    public const string Collection = "boot-resources";

    public static Dictionary<string, object?> Summary(BootResourceRecord resource)
    {
        var json = new Dictionary<string, object?>
        {
            ["id"] = resource.Id,
            ["type"] = BootResourceTypes.Label((BootResourceType)resource.Rtype),
            ["name"] = resource.Name,
            ["architecture"] = resource.Architecture,
            ["resource_uri"] = ResourceUris.Item(Collection, resource.Id),
            ["last_deployed"] = resource.LastDeployed is { } deployed ? ApiJson.FormatDateTime(deployed) : null,
        };
        foreach (var (key, value) in Extra(resource.Extra))
            json.TryAdd(key, value);
        if (resource.BaseImage.Length > 0)
            json["base_image"] = resource.BaseImage;
        return json;
    }

    public static Dictionary<string, object?> Full(
        BootResourceRecord resource, IReadOnlyList<BootResourceSetRecord> sets, IReadOnlyList<BootResourceFileRecord> files, IReadOnlyDictionary<string, string> shortShas)
    {
        var json = Summary(resource);
        var rendered = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var set in sets.OrderBy(s => s.Version, StringComparer.Ordinal))
        {
            var setFiles = files.Where(f => f.SetId == set.Id).ToList();
            var size = setFiles.Sum(f => f.Size);
            var present = setFiles.Sum(f => Math.Min(f.BytesPresent, f.Size));
            var complete = setFiles.All(f => f.Complete);
            var setJson = new Dictionary<string, object?>
            {
                ["version"] = set.Version,
                ["label"] = set.Label,
                ["size"] = size,
                ["complete"] = complete,
            };
            if (!complete)
                setJson["progress"] = Progress(present, size);
            setJson["files"] = setFiles.ToDictionary(f => f.Filename, f => (object?)File(resource, f, shortShas), StringComparer.Ordinal);
            rendered[set.Version] = setJson;
        }

        json["sets"] = rendered;
        return json;
    }

    private static Dictionary<string, object?> File(BootResourceRecord resource, BootResourceFileRecord file, IReadOnlyDictionary<string, string> shortShas)
    {
        var json = new Dictionary<string, object?>
        {
            ["filename"] = file.Filename,
            ["filetype"] = file.Filetype,
            ["sha256"] = file.Sha256,
            ["filename_on_disk"] = shortShas.GetValueOrDefault(file.Sha256, file.Sha256[..ImagePaths.MinimumPrefix]),
            ["size"] = file.Size,
            ["complete"] = file.Complete,
        };
        if (!file.Complete)
        {
            json["progress"] = Progress(file.BytesPresent, file.Size);
            if (resource.Rtype == (int)BootResourceType.Uploaded)
                json["upload_uri"] = UploadUri(resource.Id, file.Id);
        }

        return json;
    }

    public static string UploadUri(long resourceId, long fileId) => $"{ResourceUris.Prefix}{Collection}/{resourceId}/upload/{fileId}/";

    private static double Progress(long present, long size) => size == 0 ? 100.0 : Math.Round(100.0 * present / size, 2);

    private static IEnumerable<KeyValuePair<string, object?>> Extra(string json)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            object? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetDouble().ToString(CultureInfo.InvariantCulture),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            };
            yield return new(property.Name, value);
        }
    }
}
