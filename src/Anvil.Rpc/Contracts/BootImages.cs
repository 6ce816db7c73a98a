namespace Anvil.Rpc.Contracts;

/// <summary>Asks which boot image files the rack should hold; <see cref="KnownVersion"/> lets the region answer "unchanged".</summary>
public sealed record BootImagesRequest(string SystemId, string? KnownVersion);

/// <summary>
/// The files every rack should serve below <c>/images/</c>; <see cref="Version"/> is a digest of the
/// list, so equal versions mean equal lists and a rack that has it gets <see cref="Unchanged"/>.
/// Each file's content is at <c>&lt;region&gt;/images-store/&lt;sha256&gt;</c> (Range supported).
/// </summary>
public sealed record BootImagesResponse(string Version, bool Unchanged, IReadOnlyList<BootImageFileDto>? Files);

/// <summary>
/// One file: <see cref="Path"/> is <c>&lt;short sha256&gt;/&lt;os&gt;/&lt;arch&gt;/&lt;subarch&gt;/&lt;series&gt;/&lt;label&gt;/&lt;filename&gt;</c>;
/// <see cref="Name"/> and <see cref="Architecture"/> are the resource's (<c>debian/bookworm</c>, <c>amd64/generic</c>).
/// </summary>
public sealed record BootImageFileDto(string Path, string Sha256, long Size, string Name, string Architecture);

/// <summary>What the rack holds: the manifest version it has completely (empty if none) and the images it can serve.</summary>
public sealed record ReportBootImagesRequest(string SystemId, string SyncedVersion, IReadOnlyList<RackBootImageDto> Images);

/// <summary>One image in <c>list_boot_images</c>'s shape: <c>ubuntu/noble</c>, <c>amd64</c>, <c>["generic", …]</c>.</summary>
public sealed record RackBootImageDto(string Name, string Architecture, IReadOnlyList<string> Subarches);
