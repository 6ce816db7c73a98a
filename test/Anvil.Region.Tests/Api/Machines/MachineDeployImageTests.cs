using System.Collections.Concurrent;
using System.Text.Json;
using Anvil.Domain.Machines;
using Anvil.Region.Deploy;
using Anvil.Region.Power;
using Anvil.Region.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Anvil.Region.Tests.Api.Machines;

/// <summary>
/// Deploy takes only what has an image for the machine's architecture (MAAS's usable releases):
/// anything else is a 400 field error before anything happens. Each test gives its machine an
/// architecture of its own, so the images it adds are the only ones its machine can see.
/// </summary>
public sealed class MachineDeployImageTests(PowerRecordingHost host) : IClassFixture<PowerRecordingHost>
{
    private readonly MachineSetup _machines = new(host);

    [Fact]
    public async Task A_release_without_a_complete_image_for_the_machines_architecture_is_refused_and_nothing_changes()
    {
        var (admin, user, systemId, arch) = await ReadyMachineAsync();
        await TestImages.AddAsync(host.Database, "ubuntu/jammy", $"{arch}/generic");
        await TestImages.AddAsync(host.Database, "ubuntu/noble", $"{OtherArch()}/generic");
        await TestImages.AddAsync(host.Database, "debian/bookworm", $"{arch}/generic", complete: false);
        await TestImages.AddAsync(host.Database, "ubuntu/focal", $"{arch}/generic", filetype: "squashfs");
        var eventsBefore = await MachineSetup.EventsAsync(admin, systemId, "DEBUG");

        foreach (var series in new[] { "noble", "debian/bookworm", "focal" })
        {
            var errors = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", ("distro_series", series))).ShouldBeFieldErrorsAsync();

            errors.Keys.ShouldBe(["distro_series"]);
            errors["distro_series"].ShouldBe([$"'{series}' is not a valid distro_series.  It should be one of: '', 'ubuntu/jammy'."]);
        }

        var machine = await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync();
        machine.GetProperty("status_name").GetString().ShouldBe("Ready");
        machine.GetProperty("owner").ValueKind.ShouldBe(JsonValueKind.Null);
        machine.GetProperty("osystem").GetString().ShouldBe("");
        machine.GetProperty("distro_series").GetString().ShouldBe("");
        (await MachineSetup.EventsAsync(admin, systemId, "DEBUG")).ShouldBe(eventsBefore);
        host.PowerRequests(systemId).ShouldBeEmpty();

        // What the refusal listed is deployable, and deploying it is seen by the same observers.
        var deployed = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", ("distro_series", "jammy"))).ShouldBeJsonAsync();
        (deployed.GetProperty("osystem").GetString(), deployed.GetProperty("distro_series").GetString()).ShouldBe(("ubuntu", "jammy"));
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId, "Ready -> Allocated", "Allocated -> Deploying");
        host.PowerRequests(systemId).ShouldBe([PowerRequest.On]);
    }

    [Fact]
    public async Task Without_distro_series_the_default_release_must_have_an_image_and_an_allocated_machine_stays_allocated()
    {
        var (admin, user, systemId, arch) = await ReadyMachineAsync();
        await _machines.SetStateAsync(systemId, NodeStatus.ALLOCATED, user.Id);
        await TestImages.AddAsync(host.Database, "debian/bookworm", $"{arch}/generic");
        await TestImages.AddAsync(host.Database, "ubuntu/noble", $"{arch}/generic", complete: false);

        var errors = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy")).ShouldBeFieldErrorsAsync();

        errors["distro_series"].ShouldBe(["'noble' is not a valid distro_series.  It should be one of: '', 'debian/bookworm'."]);
        var machine = await (await admin.Client.GetAsync($"machines/{systemId}/")).ShouldBeJsonAsync();
        machine.GetProperty("status_name").GetString().ShouldBe("Allocated");
        machine.GetProperty("owner").GetString().ShouldBe(user.Username);
        machine.GetProperty("osystem").GetString().ShouldBe("");
        await MachineSetup.ShouldHaveStatusChangesAsync(admin, systemId);
        host.PowerRequests(systemId).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_machine_with_no_images_at_all_is_told_there_is_nothing_to_choose()
    {
        var (_, user, systemId, _) = await ReadyMachineAsync();

        var errors = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", ("distro_series", "ubuntu/noble"))).ShouldBeFieldErrorsAsync();

        errors["distro_series"].ShouldBe(["'ubuntu/noble' is not a valid distro_series.  It should be one of: ''."]);
    }

    [Fact]
    public async Task A_machine_with_a_subarchitecture_deploys_a_generic_image_of_its_architecture()
    {
        var (_, user, systemId, arch) = await ReadyMachineAsync("hwe-22.04");
        await TestImages.AddAsync(host.Database, "ubuntu/noble", $"{arch}/generic");

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", ("distro_series", "24.04"))).ShouldBeJsonAsync();

        machine.GetProperty("distro_series").GetString().ShouldBe("noble");
    }

    [Fact]
    public async Task Osystem_alone_takes_its_newest_release_with_an_image()
    {
        var (_, user, systemId, arch) = await ReadyMachineAsync();
        foreach (var name in new[] { "debian/bookworm", "debian/trixie", "ubuntu/noble" })
            await TestImages.AddAsync(host.Database, name, $"{arch}/generic");

        var machine = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", ("osystem", "debian"))).ShouldBeJsonAsync();

        (machine.GetProperty("osystem").GetString(), machine.GetProperty("distro_series").GetString()).ShouldBe(("debian", "trixie"));
    }

    [Theory]
    [InlineData("centos", null, "osystem", "'centos' is not a valid osystem.  It should be one of: '', 'debian', 'ubuntu'.")]
    [InlineData("debian", "ubuntu/noble", "distro_series", "ubuntu/noble in distro_series does not match with operating system debian.")]
    [InlineData("debian", "noble", "distro_series", "'noble' is not a valid distro_series.  It should be one of: '', 'debian/bookworm', 'ubuntu/noble'.")]
    public async Task Osystem_must_have_an_image_and_agree_with_distro_series(string osystem, string? distroSeries, string field, string message)
    {
        var (_, user, systemId, arch) = await ReadyMachineAsync();
        foreach (var name in new[] { "debian/bookworm", "ubuntu/noble" })
            await TestImages.AddAsync(host.Database, name, $"{arch}/generic");
        (string, string)[] form = distroSeries is null ? [("osystem", osystem)] : [("osystem", osystem), ("distro_series", distroSeries)];

        var errors = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", form)).ShouldBeFieldErrorsAsync();

        errors.Keys.ShouldBe([field]);
        errors[field].ShouldBe([message]);
        (await _machines.RowAsync(systemId)).NodeStatus.ShouldBe(NodeStatus.READY);
    }

    [Theory]
    [InlineData("ubuntu/noble", "generic", "", "ga-24.04", null)]
    [InlineData("ubuntu/noble", "generic", "ga-22.04", "", null)]
    [InlineData("ubuntu/jammy", "hwe-22.04", "", "hwe-22.04", null)]
    [InlineData("ubuntu/noble", "generic", "", "hwe-24.04", "hwe-24.04 is not available for ubuntu/noble on {arch}/generic.")]
    [InlineData("ubuntu/noble", "generic", "", "generic", "generic is not available for ubuntu/noble on {arch}/generic.")]
    [InlineData("debian/bookworm", "generic", "", "ga-24.04", "ga-24.04 is not available for debian/bookworm on {arch}/generic.")]
    [InlineData("ubuntu/noble", "ga-22.04", "", "ga-22.04", "ga-22.04 is too old to use on ubuntu/noble.")]
    [InlineData("ubuntu/noble", "generic", "hwe-24.04", "ga-24.04", "chosen kernel (ga-24.04) is older than minimal kernel required by the machine (hwe-24.04).")]
    [InlineData("ubuntu/noble", "generic", "hwe-24.04", "", "noble has no kernels available which meet min_hwe_kernel(hwe-24.04).")]
    public async Task Hwe_kernel_must_be_the_kernel_the_image_brings_and_meet_the_machines_minimum(
        string release, string imageSubarch, string minHweKernel, string hweKernel, string? refusal)
    {
        var (_, user, systemId, arch) = await ReadyMachineAsync(imageSubarch);
        await TestImages.AddAsync(host.Database, release, $"{arch}/{imageSubarch}");
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition("UPDATE node SET min_hwe_kernel = @minHweKernel WHERE system_id = @systemId", new { minHweKernel, systemId }, tx)),
            CancellationToken.None);
        (string, string)[] form = hweKernel.Length > 0 ? [("distro_series", release), ("hwe_kernel", hweKernel)] : [("distro_series", release)];

        var response = await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", form);

        if (refusal is null)
        {
            var machine = await response.ShouldBeJsonAsync();
            machine.GetProperty("status_name").GetString().ShouldBe("Deploying");
            var kernel = machine.GetProperty("hwe_kernel");
            (kernel.ValueKind == JsonValueKind.Null ? "" : kernel.GetString()).ShouldBe(hweKernel);
        }
        else
        {
            (await response.ShouldBeFieldErrorsAsync())["hwe_kernel"].ShouldBe([refusal.Replace("{arch}", arch, StringComparison.Ordinal)]);
            (await _machines.RowAsync(systemId)).NodeStatus.ShouldBe(NodeStatus.READY);
            host.PowerRequests(systemId).ShouldBeEmpty();
        }
    }

    /// <summary>A Ready machine on an architecture no other test uses (<c>arch/subarch</c> as given), and a user to deploy it.</summary>
    /// <summary>
    /// A mirror stores Ubuntu per kernel (<c>amd64/ga-24.04</c>, <c>amd64/hwe-24.04</c>) with the
    /// subarchitectures each serves; a <c>generic</c> machine deploys the GA one, and an image that
    /// does not list <c>generic</c> is not offered.
    /// </summary>
    [Fact]
    public async Task A_generic_machine_deploys_the_ga_kernel_image_of_a_release_a_mirror_stores_per_kernel()
    {
        var (_, user, systemId, arch) = await ReadyMachineAsync();
        var ga = await TestImages.AddAsync(host.Database, "ubuntu/noble", $"{arch}/ga-24.04", subarches: "generic,hwe-p,ga-24.04");
        await TestImages.AddAsync(host.Database, "ubuntu/noble", $"{arch}/hwe-24.04", subarches: "generic,hwe-p,ga-24.04,hwe-24.04");
        await TestImages.AddAsync(host.Database, "ubuntu/jammy", $"{arch}/hwe-22.04-edge", subarches: "hwe-22.04-edge");

        var images = host.Services.GetRequiredService<IDeployImages>();
        (await images.FindAsync("ubuntu", "noble", $"{arch}/generic", CancellationToken.None)).ShouldNotBeNull().Sha256.ShouldBe(ga);
        (await images.FindAsync("ubuntu", "jammy", $"{arch}/generic", CancellationToken.None)).ShouldBeNull();
        (await images.ListAsync($"{arch}/generic", CancellationToken.None)).ShouldBe([new DeployRelease("ubuntu", "noble", $"{arch}/ga-24.04")]);

        var deployed = await (await user.Client.PostOpAsync($"machines/{systemId}/", "deploy", ("distro_series", "noble"))).ShouldBeJsonAsync();
        deployed.GetProperty("status_name").GetString().ShouldBe("Deploying");
    }

    private async Task<(TestUser Admin, TestUser User, string SystemId, string Arch)> ReadyMachineAsync(string subarch = "generic")
    {
        var admin = await host.CreateUserAsync(admin: true);
        var user = await host.CreateUserAsync();
        var systemId = await _machines.CreateReadyAsync(admin);
        var arch = OtherArch();
        await host.Database.InTransactionAsync(
            (c, tx) => c.ExecuteAsync(new CommandDefinition(
                "UPDATE node SET architecture = @architecture WHERE system_id = @systemId", new { architecture = $"{arch}/{subarch}", systemId }, tx)),
            CancellationToken.None);
        return (admin, user, systemId, arch);
    }

    private static string OtherArch() => $"a{Guid.NewGuid():N}"[..10];
}

/// <summary>The region test host with the manual power service watched: what each machine was asked to do.</summary>
public sealed class PowerRecordingHost : RegionTestHost
{
    private readonly ConcurrentQueue<(string SystemId, PowerRequest Request)> _requests = new();

    public IReadOnlyList<PowerRequest> PowerRequests(string systemId) => [.. _requests.Where(r => r.SystemId == systemId).Select(r => r.Request)];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IPowerService>(new RecordingPowerService(new ManualPowerService(), _requests));

    private sealed class RecordingPowerService(IPowerService inner, ConcurrentQueue<(string, PowerRequest)> requests) : IPowerService
    {
        public IReadOnlyCollection<string> PowerTypes => inner.PowerTypes;

        public bool CanQuery(string powerType) => inner.CanQuery(powerType);

        public Task ExecuteAsync(string systemId, string powerType, PowerRequest request, CancellationToken cancellationToken)
        {
            requests.Enqueue((systemId, request));
            return inner.ExecuteAsync(systemId, powerType, request, cancellationToken);
        }

        public Task<string> QueryAsync(string systemId, string powerType, CancellationToken cancellationToken) => inner.QueryAsync(systemId, powerType, cancellationToken);
    }
}
