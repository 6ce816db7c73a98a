using System.Text.Json;

namespace Anvil.Cli.Profiles;

public sealed class ProfileStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "anvil-profiles-" + Guid.NewGuid().ToString("N"));

    private string ConfigDirectory => Path.Combine(_root, "anvil");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static ServerProfile Sample(string name, string? credentials = "ck:tk:ts") => new()
    {
        Name = name,
        Url = "http://maas.example:5240/MAAS/api/2.0/",
        Credentials = credentials,
        Description = JsonDocument.Parse("""{"doc": "MAAS API", "hash": "abc", "resources": [], "handlers": []}""").RootElement.Clone(),
    };

    [Fact]
    public void Load_without_a_file_returns_no_profiles()
    {
        new ProfileStore(ConfigDirectory).Load().ShouldBeEmpty();
    }

    [Fact]
    public void Save_then_Load_round_trips_name_url_credentials_and_description()
    {
        var store = new ProfileStore(ConfigDirectory);

        store.Save(Sample("admin"));

        var loaded = new ProfileStore(ConfigDirectory).Load().ShouldHaveSingleItem();
        loaded.Name.ShouldBe("admin");
        loaded.Url.ShouldBe("http://maas.example:5240/MAAS/api/2.0/");
        loaded.Credentials.ShouldBe("ck:tk:ts");
        loaded.ApiKey!.TokenSecret.ShouldBe("ts");
        loaded.ParseDescription().Hash.ShouldBe("abc");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Save_writes_the_file_readable_only_by_its_owner()
    {
        var store = new ProfileStore(ConfigDirectory);

        store.Save(Sample("admin"));
        store.Save(Sample("second"));

        File.GetUnixFileMode(store.FilePath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFiles(ConfigDirectory).ShouldBe([store.FilePath]);
    }

    [Fact]
    public void Save_replaces_a_profile_with_the_same_name()
    {
        var store = new ProfileStore(ConfigDirectory);
        store.Save(Sample("admin"));

        store.Save(Sample("admin", credentials: null));

        store.Load().ShouldHaveSingleItem().Credentials.ShouldBeNull();
    }

    [Fact]
    public void Remove_deletes_only_the_named_profile()
    {
        var store = new ProfileStore(ConfigDirectory);
        store.Save(Sample("a"));
        store.Save(Sample("b"));

        store.Remove("a").ShouldBeTrue();
        store.Remove("a").ShouldBeFalse();

        store.Load().Select(p => p.Name).ShouldBe(["b"]);
    }

    [Fact]
    public void Load_reports_a_corrupt_file_with_its_path()
    {
        Directory.CreateDirectory(ConfigDirectory);
        var store = new ProfileStore(ConfigDirectory);
        File.WriteAllText(store.FilePath, "{not json");

        Should.Throw<ProfileStoreException>(() => store.Load()).Message.ShouldContain(store.FilePath);
    }
}
