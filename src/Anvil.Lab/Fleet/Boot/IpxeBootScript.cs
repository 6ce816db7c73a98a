namespace Anvil.Lab.Fleet.Boot;

internal enum BootScriptAction
{
    /// <summary>Chain to other scripts (the first stage).</summary>
    Chain,

    /// <summary>Load kernel and initrd over HTTP and boot them.</summary>
    NetworkBoot,

    /// <summary>Boot from the local disk.</summary>
    LocalDisk,

    /// <summary>Nothing to do: power off (or idle).</summary>
    PowerOff,

    /// <summary>No image: wait and retry, as iPXE's <c>exit</c> ends in the firmware's next boot entry.</summary>
    NoImage,
}

/// <summary>What an iPXE script the rack served asks the machine to do, read the way iPXE would run it.</summary>
internal sealed record IpxeBootScript(BootScriptAction Action, IReadOnlyList<string> ChainUrls, string? KernelUrl, string? InitrdUrl, string KernelCommandLine)
{
    /// <summary>Reads the script with iPXE's <c>${mac}</c> and <c>${next-server}</c> filled in.</summary>
    public static IpxeBootScript Parse(string script, string mac, string nextServer)
    {
        var text = script.Replace("${mac}", mac, StringComparison.Ordinal).Replace("${net0/mac}", mac, StringComparison.Ordinal)
            .Replace("${next-server}", nextServer, StringComparison.Ordinal);
        var chains = new List<string>();
        string? kernel = null;
        string? initrd = null;
        var commandLine = "";
        var action = BootScriptAction.PowerOff;
        var decided = false;
        var waited = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("echo ", StringComparison.Ordinal))
                continue;
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words[0])
            {
                case "chain":
                    // "chain A || chain B": try each in turn
                    chains.AddRange(line.Split("||").Select(part => part.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        .Where(w => w.Length >= 2 && w[0] == "chain").Select(w => w[^1]));
                    action = BootScriptAction.Chain;
                    decided = true;
                    break;
                case "kernel":
                    var rest = SkipNamed(words.Skip(1).ToList());
                    kernel = rest.FirstOrDefault();
                    commandLine = string.Join(' ', rest.Skip(1));
                    break;
                case "initrd":
                    initrd = SkipNamed(words.Skip(1).ToList()).FirstOrDefault();
                    break;
                case "boot" when kernel is not null && !decided:
                    action = BootScriptAction.NetworkBoot;
                    decided = true;
                    break;
                case "sanboot" when !decided:
                case "iseq" when !decided && line.Contains("exit", StringComparison.Ordinal):
                    action = BootScriptAction.LocalDisk;
                    decided = true;
                    break;
                case "sleep":
                    waited = true;
                    break;
                case "poweroff" when !decided:
                    action = BootScriptAction.PowerOff;
                    decided = true;
                    break;
                case "exit" when !decided:
                    // The rack's "no image" script waits before it gives up; "boot locally" exits at once.
                    action = waited ? BootScriptAction.NoImage : BootScriptAction.LocalDisk;
                    decided = true;
                    break;
            }
        }

        return new IpxeBootScript(action, chains, kernel, initrd, commandLine);
    }

    /// <summary>The value of <c>name=value</c> on the kernel command line, or null.</summary>
    public string? Argument(string name)
    {
        foreach (var word in KernelCommandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith(name + "=", StringComparison.Ordinal))
                return word[(name.Length + 1)..];
        }

        return null;
    }

    private static List<string> SkipNamed(List<string> words)
    {
        var rest = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] is "--name" or "-n")
            {
                i++;
                continue;
            }

            if (words[i].StartsWith("--", StringComparison.Ordinal))
                continue;
            rest.Add(words[i]);
        }

        return rest;
    }
}
