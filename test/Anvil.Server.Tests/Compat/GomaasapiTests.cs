using System.Diagnostics;
using System.Text.Json;
using Anvil.Server.Support;
using Xunit;

namespace Anvil.Server.Compat;

/// <summary>
/// Juju's MAAS client, gomaasapi from Debian's golang-github-juju-gomaasapi-dev, unmodified, built
/// in GOPATH mode and run against the real anvild: it lists, allocates (tags, cpu_count, mem)
/// and releases (bulk form) machines.
/// </summary>
[Collection(AnvildCollection.Name)]
public sealed class GomaasapiTests(AnvildFixture fixture)
{
    private const string GoPath = "/usr/share/gocode";

    [Fact]
    public async Task Gomaasapi_lists_allocates_by_tag_cpu_and_memory_and_releases_in_bulk()
    {
        var anvild = fixture.Anvild;
        using var admin = Admin.Client(anvild);
        var tag = await Admin.TagAsync(admin, Admin.Unique("gpu"));
        var big1 = await Admin.ReadyMachineAsync(admin, 8, 16384, tag);
        var big2 = await Admin.ReadyMachineAsync(admin, 4, 8192, tag);
        var tooSmall = await Admin.ReadyMachineAsync(admin, 2, 16384, tag);
        var untagged = await Admin.ReadyMachineAsync(admin, 8, 16384);

        var driver = await BuildDriverAsync();
        var (exit, stdout, stderr) = await RunAsync(driver, [anvild.Url, anvild.AdminKey, tag, "4", "8192"]);
        exit.ShouldBe(0, $"gomaasapi driver failed:\n{stderr}\n{stdout}");
        using var report = JsonDocument.Parse(stdout);
        var r = report.RootElement;

        Strings(r, "listed").ShouldContain(big1);
        Strings(r, "listed").ShouldContain(untagged);
        Strings(r, "capabilities").ShouldContain("networks-management");
        Strings(r, "zones").ShouldContain("default");
        Strings(r, "allocated").Order().ShouldBe(new[] { big1, big2 }.Order());
        Strings(r, "allocated").ShouldNotContain(tooSmall);
        r.GetProperty("allocated_cpus").EnumerateArray().ShouldAllBe(c => c.GetInt32() >= 4);
        r.GetProperty("allocated_mem").EnumerateArray().ShouldAllBe(m => m.GetInt32() >= 8192);
        Strings(r, "allocated_tags").ShouldAllBe(t => t == tag);
        r.GetProperty("no_match_is_no_match_error").GetBoolean().ShouldBeTrue();
        r.GetProperty("released").GetBoolean().ShouldBeTrue();
        Strings(r, "statuses_after_release").ShouldAllBe(s => s == "Ready");
        (await Admin.MachineAsync(admin, big1)).GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    private static List<string> Strings(JsonElement r, string name) =>
        r.GetProperty(name).ValueKind == JsonValueKind.Null ? [] : r.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToList();

    private static async Task<string> BuildDriverAsync()
    {
        if (!Directory.Exists(Path.Combine(GoPath, "src/github.com/juju/gomaasapi")))
            throw new InvalidOperationException("gomaasapi is not installed: apt-get install golang-go golang-github-juju-gomaasapi-dev (scripts/test.sh does this).");
        var dir = Directory.CreateTempSubdirectory("gomaasapi-driver-").FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Compat/gomaasapi/main.go"), Path.Combine(dir, "main.go"));
        var output = Path.Combine(dir, "driver");
        var (exit, stdout, stderr) = await RunAsync("go", ["build", "-o", output, "main.go"], dir, new()
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = GoPath,
            ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "anvil-gocache"),
            ["GOFLAGS"] = "",
        });
        exit.ShouldBe(0, $"go build failed:\n{stderr}\n{stdout}");
        return output;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(
        string program, string[] args, string? workingDirectory = null, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? [])
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout, await stderr);
    }
}
