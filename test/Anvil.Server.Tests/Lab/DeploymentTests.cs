using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Anvil.Client;
using Anvil.Lab.Vms;
using Anvil.Testing.Lab;
using Anvil.Testing.Network;
using Xunit;
using Xunit.Abstractions;

namespace Anvil.Server.Lab;

/// <summary>
/// Deployment on a real VM, through anvild's API only (power type manual: the test is the
/// operator who presses the power button): a machine with a disk is commissioned (the default
/// flat layout lands on its disk), the Debian image built by scripts/debian-image.sh is uploaded
/// as a boot resource and synced to the rack, and a deploy with user data makes the VM PXE-boot
/// the installer, reboot into the rack's "boot locally" answer, boot Debian from its own disk,
/// fetch its user data (Deployed) and run it (it calls the test back). Released with quick erase,
/// the VM boots once more, wipes its disk and the machine is Ready with no partition table left.
/// </summary>
public sealed class DeploymentTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DeployWait = TimeSpan.FromMinutes(20);
    private const long DiskBytes = 4L << 30;

    [Fact]
    public async Task A_bios_vm_deploys_debian_with_the_flat_layout_runs_its_user_data_and_is_erased_on_release()
    {
        await using var lab = await PxeLab.StartAsync(output);
        var machine = await DeployAsync(lab, LabFirmware.Bios, layout: null);

        // Released with quick erase: the operator powers the machine on once more to erase it.
        (await lab.Admin.PostAsync($"machines/{machine.SystemId}/", "release", [new("erase", "true"), new("quick_erase", "true")])).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await lab.MachineAsync(machine.SystemId)).GetProperty("status_name").GetString().ShouldBe("Disk erasing");
        await using (var vm = EphemeralVm.StartMachine(lab.Net.TapName, machine.Mac, LabFirmware.Bios, [machine.Disk]))
        {
            var released = await lab.WaitForStatusAsync(vm, machine.SystemId, "Ready", PxeLab.CommissioningWait);
            PxeLab.Report(output, vm, "erasing");
            released.GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);
        }

        var head = await ReadDiskHeadAsync(machine.Disk, lab.Anvild.DataDir);
        (head[510] == 0x55 && head[511] == 0xAA).ShouldBeFalse("an MBR (or GPT protective MBR) is left on the disk");
        Encoding.ASCII.GetString(head, 512, 8).ShouldNotBe("EFI PART");
    }

    [Fact]
    public async Task A_uefi_vm_deploys_debian_with_the_lvm_layout_and_runs_its_user_data()
    {
        await using var lab = await PxeLab.StartAsync(output);
        var firmware = LabFirmware.Uefi(Path.Combine(lab.Anvild.DataDir, "ovmf-vars.fd"));

        var machine = await DeployAsync(lab, firmware, layout: "lvm");

        machine.Deployed.GetProperty("bios_boot_method").GetString().ShouldBe("uefi");
        var volumeGroups = (await lab.Admin.GetAsync($"nodes/{machine.SystemId}/volume-groups/")).ParseJson().RootElement;
        volumeGroups.EnumerateArray().ShouldContain(vg => vg.GetProperty("name").GetString() == "vgroot");
    }

    private sealed record DeployedMachine(string SystemId, string Mac, LabDisk Disk, JsonElement Deployed);

    /// <summary>
    /// Commissions a new machine with one disk under <paramref name="firmware"/>, optionally sets a
    /// storage layout, uploads the Debian image and deploys it with user data that calls the test
    /// back; returns once the user data ran and the machine is Deployed.
    /// </summary>
    private async Task<DeployedMachine> DeployAsync(PxeLab lab, LabFirmware firmware, string? layout)
    {
        var debian = await DebianImage.GetAsync();
        output.WriteLine($"Debian image {debian.Directory}: {debian.Size:N0} bytes, ready after {debian.Elapsed.TotalSeconds:F0} s");
        var mac = QemuVm.RandomMac();
        var disk = await LabDisk.CreateAsync(Path.Combine(lab.Anvild.DataDir, "deploy-disk.qcow2"), DiskBytes, "ANVILDEPLOY01");
        var systemId = await lab.CreateMachineAsync(mac);

        await lab.Admin.PostAsync($"machines/{systemId}/", "commission", [new("testing_scripts", "none")]);
        await using (var vm = EphemeralVm.StartMachine(lab.Net.TapName, mac, firmware, [disk]))
        {
            var ready = await lab.WaitForStatusAsync(vm, systemId, "Ready", PxeLab.CommissioningWait);
            PxeLab.Report(output, vm, "commissioning");
            var boot = ready.GetProperty("boot_disk");
            boot.GetProperty("serial").GetString().ShouldBe("ANVILDEPLOY01");
            boot.GetProperty("partitions").EnumerateArray().ShouldContain(p => p.GetProperty("filesystem").GetProperty("mount_point").GetString() == "/");
        }

        // The installed system's console on the serial port too, where the test reads it.
        await lab.Admin.PostAsync("maas/", "set_config", [new("name", "kernel_opts"), new("value", "console=tty0 console=ttyS0,115200")]);
        if (layout is not null)
            (await lab.Admin.PostAsync($"machines/{systemId}/", "set_storage_layout", [new("storage_layout", layout)])).StatusCode.ShouldBe(HttpStatusCode.OK);
        await UploadAsync(lab, debian, "debian/bookworm");
        await WaitForRackImagesAsync(lab);
        using var marker = new MarkerListener(IPAddress.Parse(lab.Net.BridgeAddress));
        var token = Guid.NewGuid().ToString("N");
        var userData = $"#!/bin/sh\ncurl -s http://{lab.Net.BridgeAddress}:{marker.Port}/deployed/{token}/$(hostname)\n";
        (await lab.Admin.PostAsync($"machines/{systemId}/", "deploy", [
            new("distro_series", "debian/bookworm"),
            new("user_data", Convert.ToBase64String(Encoding.UTF8.GetBytes(userData)))])).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var vm = EphemeralVm.StartMachine(lab.Net.TapName, mac, firmware, [disk]))
        {
            var line = await marker.WaitAsync($"/deployed/{token}/", DeployWait);
            PxeLab.Report(output, vm, "deployment");
            line.ShouldNotBeNull($"user_data never called back{lab.Diagnostics(vm)}");
            var deployed = await lab.MachineAsync(systemId);
            deployed.GetProperty("status_name").GetString().ShouldBe("Deployed", lab.Diagnostics(vm));
            deployed.GetProperty("netboot").GetBoolean().ShouldBeFalse();
            // The installer ran, rebooted, and the rack sent the machine to its disk.
            vm.SerialConsole.ShouldContain("anvil-installer", customMessage: lab.Diagnostics(vm));
            vm.SerialConsole.ShouldContain("Anvil: booting from the local disk", customMessage: lab.Diagnostics(vm));
            output.WriteLine($"events: {(await lab.Admin.GetAsync("events/", "query", [new("id", systemId), new("limit", "200")])).BodyText}");
            return new DeployedMachine(systemId, mac, disk, deployed);
        }
    }

    /// <summary>Uploads the image as the MAAS CLI does: declare it, then PUT 4 MiB chunks to its upload URI.</summary>
    private static async Task UploadAsync(PxeLab lab, DebianImage image, string name)
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
    private static async Task WaitForRackImagesAsync(PxeLab lab)
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
    private static async Task<byte[]> ReadDiskHeadAsync(LabDisk disk, string scratch)
    {
        var raw = Path.Combine(scratch, "disk-head.raw");
        await HostCommand.RunAsync("qemu-img", "dd", "-f", "qcow2", "-O", "raw", "bs=1024", "count=1", $"if={disk.Path}", $"of={raw}");
        return await File.ReadAllBytesAsync(raw);
    }

    /// <summary>A TCP listener on the lab bridge that keeps the request line of every HTTP request (the deployed OS calls it).</summary>
    private sealed class MarkerListener : IDisposable
    {
        private readonly TcpListener listener;
        private readonly List<string> lines = [];
        private readonly CancellationTokenSource stop = new();

        public MarkerListener(IPAddress address)
        {
            listener = new TcpListener(address, 0);
            listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public async Task<string?> WaitAsync(string contains, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                lock (lines)
                {
                    if (lines.FirstOrDefault(l => l.Contains(contains, StringComparison.Ordinal)) is { } found)
                        return found;
                }

                await Task.Delay(500);
            }

            return null;
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                    var line = await reader.ReadLineAsync(stop.Token);
                    lock (lines)
                        lines.Add(line ?? "");
                    await client.GetStream().WriteAsync("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
                {
                    if (stop.IsCancellationRequested)
                        return;
                }
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            stop.Dispose();
        }
    }
}
