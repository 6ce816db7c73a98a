namespace Anvil.Domain.Images;

/// <summary>
/// A boot source selection (maas-api.md §3.17): which os/release to import, on which arches,
/// subarches and labels; <c>*</c> in a list (or an empty list) matches anything.
/// </summary>
public sealed record SelectionFilter(string Os, string Release, IReadOnlyList<string> Arches, IReadOnlyList<string> Subarches, IReadOnlyList<string> Labels)
{
    public bool Matches(string os, string release, string arch, string subarch, string label) =>
        os == Os && (release == Release || Release == "*") && Any(Arches, arch) && Any(Subarches, subarch) && Any(Labels, label);

    private static bool Any(IReadOnlyList<string> allowed, string value) =>
        allowed.Count == 0 || allowed.Contains("*") || allowed.Contains(value);
}
