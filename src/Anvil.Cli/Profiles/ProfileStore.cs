using System.Text.Json;

namespace Anvil.Cli.Profiles;

/// <summary>
/// Profiles in <c>&lt;config dir&gt;/profiles.json</c>. The file holds API secrets, so it is only
/// ever written as a fresh 0600 file renamed over the old one; a reader never sees a half-written
/// or briefly world-readable file.
/// </summary>
internal sealed class ProfileStore(string configDirectory)
{
    public const string FileName = "profiles.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public string FilePath { get; } = Path.Combine(configDirectory, FileName);

    public IReadOnlyList<ServerProfile> Load()
    {
        if (!File.Exists(FilePath))
        {
            return [];
        }

        try
        {
            var file = JsonSerializer.Deserialize<ProfileFile>(File.ReadAllText(FilePath), JsonOptions);
            return file?.Profiles ?? [];
        }
        catch (JsonException e)
        {
            throw new ProfileStoreException($"{FilePath} is not a valid profiles file ({e.Message}). Fix or delete it and log in again.");
        }
    }

    public ServerProfile? Find(string name) => Load().FirstOrDefault(p => p.Name == name);

    public void Save(ServerProfile profile)
    {
        var profiles = Load().Where(p => p.Name != profile.Name).Append(profile);
        Write(profiles);
    }

    public bool Remove(string name)
    {
        var profiles = Load();
        if (profiles.All(p => p.Name != name))
        {
            return false;
        }

        Write(profiles.Where(p => p.Name != name));
        return true;
    }

    private void Write(IEnumerable<ServerProfile> profiles)
    {
        var directory = Path.GetDirectoryName(FilePath)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temporary = Path.Combine(directory, $".{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, new ProfileFile { Profiles = [.. profiles.OrderBy(p => p.Name, StringComparer.Ordinal)] }, JsonOptions);
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
