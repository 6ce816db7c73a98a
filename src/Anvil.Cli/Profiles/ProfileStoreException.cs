namespace Anvil.Cli.Profiles;

internal sealed class ProfileStoreException(string message) : Exception(message);
