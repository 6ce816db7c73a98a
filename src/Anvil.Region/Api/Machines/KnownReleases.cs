namespace Anvil.Region.Api.Machines;

/// <summary>
/// Release names and their version numbers: the aliases deploy accepts (<c>24.04</c> for
/// <c>noble</c>) and the order of Ubuntu releases that kernel names (<c>ga-22.04</c>, <c>hwe-x</c>)
/// are compared by. Ubuntu's are oldest first from 12.04, because an old-style kernel name names
/// a release by its first letter and MAAS takes the oldest release with that letter.
/// </summary>
internal static class KnownReleases
{
    public static IReadOnlyList<(string Series, Version Version)> Ubuntu { get; } =
    [
        ("precise", new(12, 4)), ("quantal", new(12, 10)), ("raring", new(13, 4)), ("saucy", new(13, 10)),
        ("trusty", new(14, 4)), ("utopic", new(14, 10)), ("vivid", new(15, 4)), ("wily", new(15, 10)),
        ("xenial", new(16, 4)), ("yakkety", new(16, 10)), ("zesty", new(17, 4)), ("artful", new(17, 10)),
        ("bionic", new(18, 4)), ("cosmic", new(18, 10)), ("disco", new(19, 4)), ("eoan", new(19, 10)),
        ("focal", new(20, 4)), ("groovy", new(20, 10)), ("hirsute", new(21, 4)), ("impish", new(21, 10)),
        ("jammy", new(22, 4)), ("kinetic", new(22, 10)), ("lunar", new(23, 4)), ("mantic", new(23, 10)),
        ("noble", new(24, 4)), ("oracular", new(24, 10)), ("plucky", new(25, 4)), ("questing", new(25, 10)),
    ];

    private static readonly Dictionary<(string Os, string Series), string> Aliases = new()
    {
        [("debian", "bullseye")] = "11",
        [("debian", "bookworm")] = "12",
        [("debian", "trixie")] = "13",
        [("centos", "centos8-stream")] = "8",
        [("centos", "centos9-stream")] = "9",
        [("rhel", "rhel8")] = "8",
        [("rhel", "rhel9")] = "9",
    };

    /// <summary>The version a release is also known by (<c>24.04</c>, <c>12</c>), or null.</summary>
    public static string? Alias(string os, string series)
    {
        if (os == "ubuntu")
            return UbuntuVersion(series) is { } v ? $"{v.Major}.{v.Minor:00}" : null;
        return Aliases.GetValueOrDefault((os, series));
    }

    /// <summary>The version of an Ubuntu release given by name (<c>noble</c>), version (<c>24.04</c>) or first letter (<c>n</c>).</summary>
    public static Version? UbuntuVersion(string release)
    {
        if (release.Length == 0)
            return null;
        foreach (var (series, version) in Ubuntu)
        {
            var matches = release.Length == 1
                ? series[0] == release[0]
                : series == release || $"{version.Major}.{version.Minor:00}" == release;
            if (matches)
                return version;
        }

        return null;
    }
}
