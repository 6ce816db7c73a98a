using System.Buffers;
using System.Text;
using Anvil.Domain.Boot;

namespace Anvil.Rack.Boot;

/// <summary>GRUB configs: the first stage <c>grub/grub.cfg</c> and the per-machine <c>grub/grub.cfg-&lt;mac&gt;</c>.</summary>
internal static class GrubConfig
{
    /// <summary>
    /// Loads the per-MAC config, then the default for this CPU. A <c>configfile</c> that fails leaves
    /// GRUB on the next line, so the default is reached only when the per-MAC file is missing.
    /// </summary>
    public const string FirstStage =
        "set default=\"0\"\n" +
        "set timeout=0\n" +
        "\n" +
        "echo 'Anvil: loading the boot configuration...'\n" +
        "configfile /grub/grub.cfg-${net_default_mac}\n" +
        "configfile /grub/grub.cfg-default-${grub_cpu}\n";

    private const string Header = "set default=\"0\"\nset timeout=0\n\n";

    // Words that GRUB's shell-like parser would otherwise interpret (quotes, variables, separators).
    private static readonly SearchValues<char> GrubSpecial = SearchValues.Create("\\'\"$;|&<>#");

    public static string Render(BootConfig config)
    {
        var output = new StringBuilder(Header);
        switch (BootActions.For(config))
        {
            case BootAction.NetworkBoot:
                output.Append("menuentry 'Anvil: ").Append(Title(BootActions.Describe(config))).Append("' {\n");
                output.Append("    echo 'Loading the kernel...'\n");
                output.Append("    linux ").Append(ImagePath(config, config.Kernel)).Append(' ')
                    .Append(Escape(KernelCommandLine.Compose(config))).Append(" BOOTIF=01-${net_default_mac}\n");
                output.Append("    echo 'Loading the initrd...'\n");
                output.Append("    initrd ").Append(ImagePath(config, config.Initrd)).Append('\n');
                if (!string.IsNullOrEmpty(config.BootDtb))
                    output.Append("    devicetree ").Append(ImagePath(config, config.BootDtb)).Append('\n');
                output.Append("}\n");
                break;
            case BootAction.NoImage:
                output.Append("menuentry 'Anvil: no boot image for ").Append(Title(BootActions.Describe(config))).Append("' {\n");
                output.Append("    echo 'Anvil: no boot image for ").Append(Title(BootActions.Describe(config))).Append("'\n");
                output.Append("    sleep 10\n");
                output.Append("    exit\n");
                output.Append("}\n");
                break;
            case BootAction.LocalDisk:
                var suffix = config.Arch == "arm64" ? "aa64" : "x64";
                output.Append("menuentry 'Anvil: local disk' {\n");
                output.Append("    echo 'Anvil: booting from the local disk'\n");
                output.Append("    for loader in ubuntu/shim").Append(suffix).Append(".efi ubuntu/grub").Append(suffix)
                    .Append(".efi debian/shim").Append(suffix).Append(".efi debian/grub").Append(suffix)
                    .Append(".efi boot/boot").Append(suffix).Append(".efi; do\n");
                output.Append("        if search --no-floppy --set=root --file /efi/${loader}; then\n");
                output.Append("            chainloader /efi/${loader}\n");
                output.Append("            boot\n");
                output.Append("        fi\n");
                output.Append("    done\n");
                // No EFI bootloader found: hand back to the firmware, which tries its next boot entry.
                output.Append("    exit\n");
                output.Append("}\n");
                break;
            default:
                output.Append("menuentry 'Anvil: power off' {\n");
                output.Append("    echo 'Anvil: nothing to do, powering off'\n");
                output.Append("    halt\n");
                output.Append("}\n");
                break;
        }

        return output.ToString();
    }

    // GRUB fetches over HTTP when the region asks for it; otherwise from the device GRUB came from (TFTP).
    private static string ImagePath(BootConfig config, string path) => config.HttpBoot
        ? $"(http,{KernelCommandLine.UrlHost(config.FsHost)}:{KernelCommandLine.HttpPort})/images/{path}"
        : $"/images/{path}";

    private static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny(GrubSpecial) < 0)
            return text;
        var output = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (GrubSpecial.Contains(c))
                output.Append('\\');
            output.Append(c);
        }

        return output.ToString();
    }

    // Inside single quotes GRUB has no escape, so a quote cannot appear in a title at all.
    private static string Title(string text) => text.Replace("'", "", StringComparison.Ordinal);
}
