using System.Text;
using Anvil.Domain.Boot;

namespace Anvil.Rack.Boot;

/// <summary>iPXE scripts: the first stage <c>ipxe.cfg</c> and the per-machine <c>ipxe.cfg-&lt;mac&gt;</c>.</summary>
internal static class IpxeScript
{
    /// <summary>
    /// Chains to the per-MAC script, then to the amd64 default when that fails. <c>${next-server}</c> is
    /// the rack that answered DHCP.
    /// </summary>
    public const string FirstStage =
        "#!ipxe\n" +
        "chain http://${next-server}:5248/ipxe.cfg-${mac} || chain http://${next-server}:5248/ipxe.cfg-default-amd64\n";

    public static string Render(BootConfig config)
    {
        var script = new StringBuilder("#!ipxe\n");
        switch (BootActions.For(config))
        {
            case BootAction.NetworkBoot:
                script.Append("echo Anvil: booting ").Append(BootActions.Describe(config)).Append('\n');
                // The EFI stub finds the initrd by the name given on the command line.
                script.Append("kernel --name kernel ").Append(KernelCommandLine.ImageUrl(config, config.Kernel))
                    .Append(" initrd=initrd ").Append(KernelCommandLine.Compose(config)).Append(" BOOTIF=01-${mac}\n");
                script.Append("initrd --name initrd ").Append(KernelCommandLine.ImageUrl(config, config.Initrd)).Append('\n');
                script.Append("boot\n");
                break;
            case BootAction.NoImage:
                script.Append("echo Anvil: no boot image for ").Append(BootActions.Describe(config)).Append('\n');
                script.Append("sleep 10\n");
                script.Append("exit\n");
                break;
            case BootAction.LocalDisk:
                script.Append("echo Anvil: booting from the local disk\n");
                // Handing control back makes the firmware, BIOS or UEFI, boot its next device: the
                // disk. (sanboot --drive 0x80 leaves iPXE's INT 13h hook in place, and GRUB on a
                // virtio disk hangs under it.)
                script.Append("exit\n");
                break;
            default:
                script.Append("echo Anvil: nothing to do, powering off\n");
                // Debian's iPXE build has no poweroff command; idling is the nearest thing to off.
                script.Append("poweroff ||\n");
                script.Append("echo Anvil: this iPXE cannot power off, idling instead\n");
                script.Append(":idle\n");
                script.Append("sleep 3600\n");
                script.Append("goto idle\n");
                break;
        }

        return script.ToString();
    }
}
