using Anvil.Domain.Errors;
using Anvil.Region.Deploy;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// Resolves deploy's <c>distro_series</c> against the releases that can be deployed (those with an
/// image for the machine's architecture): a release name (<c>noble</c>), <c>os/release</c>, an alias
/// (<c>24.04</c>), or a bare OS name meaning its newest release, as MAAS accepts them. Anything else
/// is MAAS's invalid-choice field error listing what can be deployed.
/// </summary>
internal static class DistroSeries
{
    /// <param name="requested">What the caller asked for (or the configured default release).</param>
    /// <param name="osystem">The OS the release must belong to, when the caller (or the default) names one.</param>
    /// <param name="usable">What can be deployed on the machine (<see cref="IDeployImages.ListAsync"/>).</param>
    public static DeployRelease Resolve(string requested, string? osystem, IReadOnlyList<DeployRelease> usable)
    {
        // MAAS marks releases that need a license key with '*' in its choices and ignores it when given back.
        var value = requested.Trim().Replace("*", "", StringComparison.Ordinal);
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var os = value[..slash];
            if (osystem is not null && os != osystem)
                throw new ValidationException("distro_series", $"{requested} in distro_series does not match with operating system {osystem}.");
            osystem = os;
            value = value[(slash + 1)..];
        }

        var byPrefix = new List<DeployRelease>();
        foreach (var release in usable.Where(r => osystem is null || r.Osystem == osystem))
        {
            if (value == release.Series || value == KnownReleases.Alias(release.Osystem, release.Series))
                return release;
            // A bare OS name means its newest release; outside Ubuntu, so does a release's prefix (centos8 → centos8-stream).
            if (value == release.Osystem || (release.Osystem != "ubuntu" && value.Length > 0 && release.Series.StartsWith(value, StringComparison.Ordinal)))
                byPrefix.Add(release);
        }

        return byPrefix.MaxBy(r => r.Series, StringComparer.Ordinal) ?? throw Invalid("distro_series", requested, Choices(usable));
    }

    /// <summary>Checks <c>osystem</c> names an OS that has a deployable release.</summary>
    public static string Osystem(string requested, IReadOnlyList<DeployRelease> usable)
    {
        var systems = usable.Select(r => r.Osystem).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return systems.Contains(requested, StringComparer.Ordinal) ? requested : throw Invalid("osystem", requested, systems);
    }

    private static IEnumerable<string> Choices(IReadOnlyList<DeployRelease> usable) => usable.Select(r => $"{r.Osystem}/{r.Series}");

    /// <summary>MAAS's invalid-choice message: the blank choice (the default) comes first, every choice quoted.</summary>
    private static ValidationException Invalid(string field, string value, IEnumerable<string> choices) =>
        new(field, $"'{value}' is not a valid {field}.  It should be one of: {string.Join(", ", new[] { "" }.Concat(choices).Select(c => $"'{c}'"))}.");
}
