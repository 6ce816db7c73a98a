namespace Anvil.Cli.Api;

/// <summary>One <c>key=value</c> or <c>key@=file</c> argument.</summary>
internal sealed record DataArgument(string Key, string? Value, string? FilePath)
{
    public static DataArgument Parse(string token)
    {
        var equals = token.IndexOf('=', StringComparison.Ordinal);
        if (equals > 1 && token[equals - 1] == '@')
        {
            return new DataArgument(token[..(equals - 1)], null, token[(equals + 1)..]);
        }

        if (equals > 0)
        {
            return new DataArgument(token[..equals], token[(equals + 1)..], null);
        }

        throw new FormatException($"'{token}' is not a key=value pair (use key@=path to send a file's contents).");
    }
}
