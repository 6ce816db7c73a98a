using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Anvil.Client;
using Anvil.Lab.Vms;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;

namespace Anvil.Server.Lab;

/// <summary>The deployable image in a lab: uploaded through the API, synced to the rack; and what is left on a disk afterwards.</summary>
internal static class LabImages
{
    /// <summary>Uploads the image as the MAAS CLI does: declare it, then PUT 4 MiB chunks to its upload URI.</summary>
    public static async Task UploadAsync(PxeLab lab, DebianImage image, string name)
    {
        var created = (await lab.Admin.PostAsync("boot-resources/", null, [
            new("name", name), new("architecture", "amd64/generic"), new("filetype", "tgz"),
            new("sha256", image.Sha256), new("size", image.Size.ToString(CultureInfo.InvariantCulture)), new("title", "Debian 12")])).ParseJson().RootElement;
        var file = created.GetProperty("sets").EnumerateObject().Single().Value.GetProperty("files").EnumerateObject().Single().Value;
        if (!file.TryGetProperty("upload_uri", out var uri))
            return;
        var key = MaasApiKey.Parse(lab.Anvild.AdminKey);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var target = new Uri(new Uri(lab.Anvild.ApiUrl), uri.GetString());
        await using var content = File.OpenRead(image.RootTarball);
        var buffer = new byte[4 << 20];
        int read;
        while ((read = await content.ReadAsync(buffer)) > 0)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, target) { Content = new ByteArrayContent(buffer, 0, read) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Headers.Authorization = new OAuthSigner(key).CreateHeader();
            using var response = await http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The rack syncs boot images from the region every minute; waits until it reports them synced.</summary>
    public static async Task WaitForRackImagesAsync(PxeLab lab)
    {
        var rackId = await lab.Anvild.WaitForRackAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        string body;
        do
        {
            body = (await lab.Admin.GetAsync($"rackcontrollers/{rackId}/", "list_boot_images")).BodyText;
            if (body.Contains("\"status\": \"synced\"", StringComparison.Ordinal) || body.Contains("\"status\":\"synced\"", StringComparison.Ordinal))
                return;
            await Task.Delay(1000);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"The rack did not sync the boot images: {body}");
    }

    /// <summary>The first 1 KiB of the qcow2 disk, read with qemu-img.</summary>
    public static async Task<byte[]> ReadDiskHeadAsync(LabDisk disk, string scratch)
    {
        var raw = Path.Combine(scratch, "disk-head.raw");
        await HostCommand.RunAsync("qemu-img", "dd", "-f", "qcow2", "-O", "raw", "bs=1024", "count=1", $"if={disk.Path}", $"of={raw}");
        return await File.ReadAllBytesAsync(raw);
    }
}
