namespace Anvil.Data.Postgres;

/// <summary>Where and how Anvil runs its private PostgreSQL cluster.</summary>
public sealed record ManagedPostgresOptions
{
    public const string DefaultDatabaseName = "anvil";
    public const string DefaultPostgresRoot = "/usr/lib/postgresql";

    /// <summary>
    /// Anvil's data directory. The cluster lives in <c>postgres/</c> and its Unix socket in
    /// <c>run/</c> below it. When Anvil runs as root, the <c>postgres</c> system user must be able
    /// to reach it, so use e.g. <c>/var/lib/anvil</c>, not a directory under <c>/root</c>.
    /// </summary>
    public required string DataDirectory { get; init; }

    /// <summary>The application database, created when missing.</summary>
    public string DatabaseName { get; init; } = DefaultDatabaseName;

    /// <summary>
    /// The directory holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>. When null, the
    /// highest version under <see cref="PostgresRoot"/> (Debian's layout) is used.
    /// </summary>
    public string? BinDirectory { get; init; }

    /// <summary>Where Debian installs versioned PostgreSQL binaries (<c>&lt;root&gt;/&lt;version&gt;/bin</c>).</summary>
    public string PostgresRoot { get; init; } = DefaultPostgresRoot;

    /// <summary>The system user the server runs as when Anvil runs as root.</summary>
    public string SystemUser { get; init; } = "postgres";

    public int MaxConnections { get; init; } = 200;

    public string SharedBuffers { get; init; } = "128MB";

    /// <summary>How long <c>pg_ctl</c> waits for the server to start or stop.</summary>
    public TimeSpan StartStopTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Further <c>postgresql.conf</c> settings, written after Anvil's own and so overriding them.
    /// Values are written as they are given (quote strings yourself).
    /// </summary>
    public IReadOnlyDictionary<string, string> ExtraSettings { get; init; } = new Dictionary<string, string>();
}
