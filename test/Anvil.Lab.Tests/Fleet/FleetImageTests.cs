using System.Formats.Tar;
using System.IO.Compression;
using Anvil.Lab.Fleet;
using Xunit;

namespace Anvil.Lab.Tests.Fleet;

public sealed class FleetImageTests
{
    [Fact]
    public void RootTarball_is_the_same_bytes_every_time_so_a_rerun_finds_it_uploaded()
    {
        FleetImage.RootTarball().ShouldBe(FleetImage.RootTarball());
    }

    [Fact]
    public void RootTarball_is_a_gzipped_tar_of_a_few_KiB_with_one_file_under_etc()
    {
        var tarball = FleetImage.RootTarball();

        tarball.Length.ShouldBeInRange(4096, 16384);
        using var tar = new TarReader(new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress));
        var entries = new List<(string Name, TarEntryType Type)>();
        while (tar.GetNextEntry() is { } entry)
            entries.Add((entry.Name, entry.EntryType));
        entries.ShouldBe([("./etc/", TarEntryType.Directory), ("./etc/anvil-lab-filler", TarEntryType.RegularFile)]);
    }
}
