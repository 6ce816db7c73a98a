namespace Anvil.Data.Postgres;

/// <summary>The numeric identity of the system user the cluster runs as.</summary>
internal sealed record SystemAccount(string Name, int UserId, int GroupId)
{
    public static async Task<SystemAccount> LookUpAsync(string name, CancellationToken cancellationToken)
    {
        var userId = await IdAsync(name, "-u", cancellationToken);
        var groupId = await IdAsync(name, "-g", cancellationToken);
        return new SystemAccount(name, userId, groupId);
    }

    public static async Task ChownAsync(SystemAccount owner, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync("chown", [$"{owner.UserId}:{owner.GroupId}", "--", .. paths], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new ManagedPostgresException($"Could not give the PostgreSQL directories to the system user '{owner.Name}': {result.Output}");
        }
    }

    private static async Task<int> IdAsync(string name, string flag, CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync("id", [flag, name], cancellationToken);
        if (result.ExitCode != 0 || !int.TryParse(result.StandardOutput.Trim(), out var id))
        {
            throw new ManagedPostgresException(
                $"The system user '{name}' that runs PostgreSQL does not exist ({result.Output}). " +
                "Install Debian's postgresql package, which creates it (apt-get install postgresql), or configure another system user.");
        }

        return id;
    }
}
