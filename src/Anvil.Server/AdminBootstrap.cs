using Anvil.Data;
using Anvil.Data.Users;

namespace Anvil.Server;

/// <summary>
/// The first administrator, as <c>maas createadmin</c> + <c>maas apikey</c> make it. Token secrets
/// are stored hashed, so the bootstrap key is kept (root-only, mode 0600) in the data directory
/// for the run command to print; delete the file to have a fresh key issued at the next start.
/// </summary>
internal static class AdminBootstrap
{
    public const string AdminUsername = "admin";

    public static string KeyFile(AnvildOptions options) => Path.Combine(options.DataDir, "admin-api-key");

    public static string PasswordFile(AnvildOptions options) => Path.Combine(options.DataDir, "admin-password");

    /// <summary>Ensures the admin exists and has a key on file; returns the key.</summary>
    public static async Task<string> EnsureAsync(Database db, AnvildOptions options, CancellationToken ct)
    {
        var keyFile = KeyFile(options);
        var users = new UserStore(db);
        var admin = await users.FindAsync(AdminUsername, ct);
        if (admin is null)
        {
            var password = Credentials.RandomKey(20);
            admin = await CreateAdminAsync(db, AdminUsername, "", password, ct);
            WriteSecret(PasswordFile(options), password);
        }

        if (File.Exists(keyFile))
        {
            var key = (await File.ReadAllTextAsync(keyFile, ct)).Trim();
            var parts = key.Split(':');
            if (parts.Length == 3 && await users.FindTokenAsync(parts[0], parts[1], ct) is { } found &&
                Credentials.TokenSecretMatches(parts[2], found.Token.SecretSha256))
                return key;
        }

        var token = await db.InTransactionAsync((c, tx) => UserStore.CreateTokenAsync(c, tx, admin.Id, "anvild bootstrap", ct), ct);
        WriteSecret(keyFile, token.ApiKey);
        return token.ApiKey;
    }

    public static async Task<UserRecord> CreateAdminAsync(Database db, string username, string email, string password, CancellationToken ct) =>
        await db.InTransactionAsync((c, tx) => UserStore.CreateAsync(c, tx, username, email, password, isSuperuser: true, ct), ct)
        ?? throw new InvalidOperationException($"User '{username}' already exists.");

    private static void WriteSecret(string path, string secret)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);

        // Created 0600 from the start, so the secret is never readable by others, not even briefly.
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.WriteLine(secret);
    }
}
