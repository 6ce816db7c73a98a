using System.CommandLine;
using Anvil.Cli.Commands;
using Anvil.Cli.Output;
using Anvil.Cli.Profiles;
using Anvil.Client.Description;
using Spectre.Console;

namespace Anvil.Cli.Api;

/// <summary><c>anvil PROFILE machines list</c>: <c>machines read</c> shown as a table.</summary>
internal static class MachinesListCommand
{
    public const string Name = "list";

    public static Command Create(ServerProfile profile, MaasApiHandler machines, Option<bool> debug, ApiCaller caller)
    {
        var json = new Option<bool>("--json") { Description = "Print the JSON response instead of a table" };
        var filters = new Argument<string[]>("filters")
        {
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "key=value",
            Description = "key=value filters, as taken by 'machines read' (hostname=, zone=, status= ...)",
        };
        var command = new Command(Name, "List machines as a table (hostname, system_id, status, owner, power, CPUs, memory, zone, pool).")
        {
            json,
            filters,
        };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(caller.Environment, async () =>
        {
            var read = new MaasApiAction { Name = "read", Method = "GET" };
            var request = ApiRequestBuilder.Build(machines, read, [], parse.GetValue(filters) ?? []);
            var response = await caller.SendAsync(profile, request, parse.GetValue(debug), cancellationToken);
            if (parse.GetValue(json) || !response.IsSuccessStatusCode || !response.IsJson)
            {
                return ResponsePrinter.Print(response, caller.Environment);
            }

            using var document = response.ParseJson();
            caller.Environment.Out.Write(MachinesTable.Build(document.RootElement));
            caller.Environment.Out.WriteLine();
            return ExitCodes.Success;
        }));
        return command;
    }

    public static bool AppliesTo(MaasApiResource resource, MaasApiHandler handler) =>
        resource.Name == "MachinesHandler" && handler.Actions.All(a => CommandNames.ForAction(a.Name) != Name);
}
