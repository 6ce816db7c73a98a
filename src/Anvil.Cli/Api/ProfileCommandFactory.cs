using System.CommandLine;
using Anvil.Cli.Profiles;

namespace Anvil.Cli.Api;

/// <summary>Builds <c>anvil PROFILE &lt;handler&gt; &lt;action&gt;</c> from the profile's stored describe/.</summary>
internal sealed class ProfileCommandFactory(ApiCaller caller)
{
    public Command Create(ServerProfile profile)
    {
        var debug = new Option<bool>("--debug", "-d") { Description = "Print the request URL and response headers to stderr", Recursive = true };
        var command = new Command(profile.Name, $"Call the API at {profile.Url}{(profile.Credentials is null ? " (anonymous)" : "")}") { debug };
        var description = profile.ParseDescription();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in description.Resources.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            // With a key the authenticated handler wins, as in the maas CLI; without one only anonymous handlers work.
            var handler = profile.Credentials is null ? resource.Anon : resource.Auth ?? resource.Anon;
            var name = CommandNames.ForHandler(resource.Name);
            if (handler is null || name.Length == 0 || !used.Add(name))
            {
                continue;
            }

            var handlerCommand = new Command(name, DocText.Title(handler.Doc));
            var actionNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var action in handler.Actions.Where(a => actionNames.Add(CommandNames.ForAction(a.Name))))
            {
                handlerCommand.Add(ApiActionCommand.Create(profile, handler, action, debug, caller));
            }

            if (MachinesListCommand.AppliesTo(resource, handler))
            {
                handlerCommand.Add(MachinesListCommand.Create(profile, handler, debug, caller));
            }

            command.Add(handlerCommand);
        }

        return command;
    }
}
