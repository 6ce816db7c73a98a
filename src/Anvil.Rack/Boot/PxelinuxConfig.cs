using System.Text;
using Anvil.Domain.Boot;

namespace Anvil.Rack.Boot;

/// <summary>PXELINUX configs (<c>pxelinux.cfg/…</c>). <c>IPAPPEND 2</c> makes PXELINUX add <c>BOOTIF=01-&lt;mac&gt;</c>.</summary>
internal static class PxelinuxConfig
{
    public static string Render(BootConfig config)
    {
        var output = new StringBuilder();
        switch (BootActions.For(config))
        {
            case BootAction.NetworkBoot:
                Label(output, "execute", $"booting {BootActions.Describe(config)}");
                output.Append("  KERNEL ").Append(KernelCommandLine.ImageUrl(config, config.Kernel)).Append('\n');
                output.Append("  INITRD ").Append(KernelCommandLine.ImageUrl(config, config.Initrd)).Append('\n');
                if (!string.IsNullOrEmpty(config.BootDtb))
                    output.Append("  FDT ").Append(KernelCommandLine.ImageUrl(config, config.BootDtb)).Append('\n');
                output.Append("  APPEND ").Append(KernelCommandLine.Compose(config)).Append('\n');
                output.Append("  IPAPPEND 2\n");
                break;
            case BootAction.NoImage:
                Label(output, "local", $"no boot image for {BootActions.Describe(config)}");
                output.Append("  LOCALBOOT 0\n");
                break;
            case BootAction.LocalDisk:
                Label(output, "local", "booting from the local disk");
                output.Append("  LOCALBOOT 0\n");
                break;
            default:
                Label(output, "poweroff", "nothing to do, powering off");
                output.Append("  KERNEL poweroff.c32\n");
                break;
        }

        return output.ToString();
    }

    private static void Label(StringBuilder output, string label, string message) =>
        output.Append("DEFAULT ").Append(label).Append("\n\nLABEL ").Append(label).Append("\n  SAY Anvil: ").Append(message).Append('\n');
}
