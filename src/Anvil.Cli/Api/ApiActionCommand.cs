using System.CommandLine;
using Anvil.Cli.Commands;
using Anvil.Cli.Output;
using Anvil.Cli.Profiles;
using Anvil.Client.Description;

namespace Anvil.Cli.Api;

/// <summary>The command for one describe/ action: URL params as positionals, then key=value data.</summary>
internal static class ApiActionCommand
{
    public static Command Create(ServerProfile profile, MaasApiHandler handler, MaasApiAction action, Option<bool> debug, ApiCaller caller)
    {
        var command = new Command(CommandNames.ForAction(action.Name), DocText.Title(action.Doc));
        var urlArguments = handler.Params.Select(p => new Argument<string>(p) { Description = $"The {p} in {handler.Path}" }).ToList();
        foreach (var argument in urlArguments)
        {
            command.Add(argument);
        }

        Argument<string[]>? data = null;
        if (DocText.DocumentsParameters(action.Doc))
        {
            data = new Argument<string[]>("data")
            {
                Arity = ArgumentArity.ZeroOrMore,
                HelpName = "key=value",
                Description = "key=value parameters; repeat a key to send a list; key@=path sends a file",
            };
            command.Add(data);
        }

        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(caller.Environment, async () =>
        {
            var urlValues = urlArguments.Select(a => parse.GetValue(a)!).ToList();
            var request = ApiRequestBuilder.Build(handler, action, urlValues, data is null ? [] : parse.GetValue(data) ?? []);
            var response = await caller.SendAsync(profile, request, parse.GetValue(debug), cancellationToken);
            return ResponsePrinter.Print(response, caller.Environment);
        }));
        return command;
    }
}
