using System.Text;
using Anvil.Client;
using Anvil.Client.Description;

namespace Anvil.Cli.Api;

/// <summary>Turns one generated command's arguments into a <see cref="MaasRequest"/>.</summary>
internal static class ApiRequestBuilder
{
    public static MaasRequest Build(MaasApiHandler handler, MaasApiAction action, IReadOnlyList<string> urlValues, IEnumerable<string> data)
    {
        var method = new HttpMethod(action.Method.ToUpperInvariant());
        var request = new MaasRequest(method, FillPath(handler, urlValues)) { Op = action.Op };
        var inBody = method == HttpMethod.Post || method == HttpMethod.Put;
        foreach (var argument in data.Select(DataArgument.Parse))
        {
            if (argument.FilePath is null)
            {
                request.Parameters.Add(new(argument.Key, argument.Value!));
            }
            else if (inBody)
            {
                request.Files.Add(new MaasFile(argument.Key, Path.GetFileName(argument.FilePath), File.ReadAllBytes(argument.FilePath)));
            }
            else
            {
                // A query string cannot carry a file part; send the contents as the value.
                request.Parameters.Add(new(argument.Key, File.ReadAllText(argument.FilePath, Encoding.UTF8)));
            }
        }

        return request;
    }

    public static string FillPath(MaasApiHandler handler, IReadOnlyList<string> urlValues)
    {
        var path = handler.Path;
        for (var i = 0; i < handler.Params.Count; i++)
        {
            path = path.Replace("{" + handler.Params[i] + "}", Uri.EscapeDataString(urlValues[i]), StringComparison.Ordinal);
        }

        return path;
    }
}
