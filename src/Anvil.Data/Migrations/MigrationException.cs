namespace Anvil.Data.Migrations;

/// <summary>The schema could not be migrated; nothing of the failed run was kept.</summary>
public sealed class MigrationException : Exception
{
    public MigrationException(string message)
        : base(message)
    {
    }

    public MigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
