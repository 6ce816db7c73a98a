namespace Anvil.Data.Postgres;

/// <summary>
/// The managed PostgreSQL cluster could not be set up or started. The message says what is wrong
/// and how an operator fixes it.
/// </summary>
public sealed class ManagedPostgresException : Exception
{
    public ManagedPostgresException(string message)
        : base(message)
    {
    }

    public ManagedPostgresException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
