namespace Anvil.Cli.Profiles;

internal sealed record ProfileFile
{
    public List<ServerProfile> Profiles { get; init; } = [];
}
