using Anvil.Domain.Errors;
using Anvil.Domain.Images;
using Anvil.Region.Deploy;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// Deploy's <c>hwe_kernel</c> and the machine's <c>min_hwe_kernel</c>, checked with MAAS's rules and
/// messages against the kernels that are available. Anvil installs the root image as it is, so the
/// one kernel available is the image's own: the subarchitecture of an image made for one kernel
/// (<c>amd64/hwe-22.04</c>), else the release's GA kernel (<c>ga-24.04</c>) for Ubuntu, and none it
/// could choose for other systems. A kernel that is not available is refused, never ignored.
/// </summary>
internal static class HweKernel
{
    /// <summary>The kernel to record on the machine: <paramref name="requested"/> when given, else null.</summary>
    public static string? Check(string? requested, string minimum, DeployRelease release, string machineArchitecture)
    {
        var osRelease = $"{release.Osystem}/{release.Series}";
        var available = Available(release);
        var seriesRank = Rank(release.Series);
        if (!string.IsNullOrEmpty(requested))
        {
            if (available is null || requested != available)
                throw Refused($"{requested} is not available for {osRelease} on {machineArchitecture}.");
            if (Compare(Rank(requested), seriesRank) < 0)
                throw Refused($"{requested} is too old to use on {osRelease}.");
            if (IsKernelName(minimum) && Compare(Rank(requested), Rank(minimum)) < 0)
                throw Refused($"chosen kernel ({requested}) is older than minimal kernel required by the machine ({minimum}).");
            return requested;
        }

        // MAAS looks for a kernel meeting the machine's minimum among the release's own kernels;
        // for other systems the minimum applies to the ephemeral environment's kernel, which Anvil provides itself.
        if (release.Osystem == "ubuntu" && IsKernelName(minimum))
        {
            var rank = available is null ? null : Rank(available);
            if (rank is null || Compare(rank, Rank(minimum)) < 0 || Compare(rank, seriesRank) < 0)
                throw Refused($"{release.Series} has no kernels available which meet min_hwe_kernel({minimum}).");
        }

        return null;
    }

    /// <summary>The kernel the release's image boots, by MAAS's name for it, or null when Anvil cannot name one.</summary>
    private static string? Available(DeployRelease release)
    {
        if (release.Osystem != "ubuntu")
            return null;
        var subarch = release.ImageArchitecture[(release.ImageArchitecture.IndexOf('/', StringComparison.Ordinal) + 1)..];
        if (subarch != BootArchitecture.Generic)
            return IsKernelName(subarch) ? subarch : null;
        return KnownReleases.UbuntuVersion(release.Series) is { } version ? $"ga-{version.Major}.{version.Minor:00}" : null;
    }

    /// <summary>MAAS only treats names with a <c>ga</c> or <c>hwe</c> part as kernels (<c>ga-22.04</c>, <c>hwe-x</c>, <c>nvidia-hwe-22.04-lowlatency</c>).</summary>
    private static bool IsKernelName(string? value) =>
        value is { Length: > 0 } && value.Split('-').Any(p => p is "ga" or "hwe");

    /// <summary>
    /// How new a kernel or release is: the Ubuntu version, then its channel (a release itself, an
    /// old-style <c>hwe-&lt;letter&gt;</c>, GA, HWE, HWE edge) as MAAS orders them; null when unknown.
    /// </summary>
    private static (Version Version, int Channel)? Rank(string value)
    {
        var parts = value.Split('-');
        var at = Array.FindIndex(parts, p => p is "ga" or "hwe");
        if (at < 0)
            return KnownReleases.UbuntuVersion(value) is { } series ? (series, 0) : null;
        var channel = parts[at] == "ga" ? 2 : 3;
        var rest = parts[(at + 1)..];
        if (channel == 3 && rest.Length > 0 && (rest[0] == "edge" || rest[^1] == "edge"))
        {
            channel = 4;
            rest = rest[0] == "edge" ? rest[1..] : rest[..^1];
        }

        if (rest.Length == 0)
            return null;
        if (rest[0] == "rolling")
            return (new Version(999, 999), channel);
        if (channel == 3 && rest[0].Length == 1)
            channel = 1;
        return KnownReleases.UbuntuVersion(rest[0]) is { } version ? (version, channel) : null;
    }

    /// <summary>Orders ranks; an unknown one is older than anything.</summary>
    private static int Compare((Version Version, int Channel)? a, (Version Version, int Channel)? b)
    {
        if (a is null || b is null)
            return a is null ? (b is null ? 0 : -1) : 1;
        var byVersion = a.Value.Version.CompareTo(b.Value.Version);
        return byVersion != 0 ? byVersion : a.Value.Channel.CompareTo(b.Value.Channel);
    }

    private static ValidationException Refused(string message) => new("hwe_kernel", message);
}
