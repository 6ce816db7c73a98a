using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using System.Text.RegularExpressions;
using Anvil.Data.Scripts;
using Anvil.Domain.Errors;
using Anvil.Domain.Scripts;
using Anvil.Region.Api.Framework;

namespace Anvil.Region.Api.Scripts;

/// <summary>
/// MAAS's results download: the chosen outputs of each result as files titled after the script
/// (and its disk or interface), sent as text or as an xz-compressed tar. xz is the system's
/// <c>xz</c> (xz-utils), as .NET has no xz encoder.
/// </summary>
internal static partial class ScriptResultsDownload
{
    public static async Task<ApiResult> RenderAsync(
        ResultsNode node, ScriptSetRecord set, IReadOnlyList<ScriptResultRecord> results, string output, string filetype, CancellationToken ct)
    {
        if (filetype is not ("txt" or "tar.xz"))
            throw new BadRequestException($"Unknown filetype \"{filetype}\" must be txt or tar.xz");
        var files = Files(results, output, filetype);
        if (filetype == "txt")
            return ApiResult.Bytes(files.Count == 1 ? files[0].Content : Concatenated(files), "application/binary");

        var root = $"{node.Hostname}-{ScriptMetadataConversions.Label((ResultType)set.ResultType).ToLowerInvariant()}-{set.Id}";
        return ApiResult.Bytes(await XzAsync(Tar(root, files), ct), "application/x-tar");
    }

    private sealed record ResultFile(string Title, byte[] Content, DateTimeOffset Modified);

    private static List<ResultFile> Files(IReadOnlyList<ScriptResultRecord> results, string output, string filetype)
    {
        var files = new List<ResultFile>();
        foreach (var r in results)
        {
            void Add(string? extension, byte[] content) => files.Add(new ResultFile(Title(r, filetype, extension), content, r.Updated));
            if (BinaryName().IsMatch(r.ScriptName))
            {
                // A binary result (e.g. a tarball a script uploads) only has its combined output.
                files.Add(new ResultFile(r.ScriptName, r.Output, r.Updated));
                continue;
            }

            switch (output)
            {
                case "combined":
                    Add(null, r.Output);
                    break;
                case "stdout":
                    Add("out", r.Stdout);
                    break;
                case "stderr":
                    Add("err", r.Stderr);
                    break;
                case "result":
                    Add("yaml", r.Result);
                    break;
                case "all":
                    Add(null, r.Output);
                    Add("out", r.Stdout);
                    Add("err", r.Stderr);
                    Add("yaml", r.Result);
                    break;
            }
        }

        return files;
    }

    private static string Title(ScriptResultRecord r, string filetype, string? extension)
    {
        var title = extension is null ? r.ScriptName : $"{r.ScriptName}.{extension}";
        if (r.BlockDeviceName is { } disk)
            title = filetype == "txt" ? $"{title} - /dev/{disk}" : $"{title}-{disk}";
        if (r.InterfaceName is { } nic)
            title = filetype == "txt" ? $"{title} - {nic}" : $"{title}-{nic}";
        return title;
    }

    private static byte[] Concatenated(List<ResultFile> files)
    {
        using var text = new MemoryStream();
        foreach (var file in files)
        {
            var dashes = new string('-', (int)((80.0 - (2 + file.Title.Length)) / 2));
            text.Write(Encoding.UTF8.GetBytes($"{dashes} {file.Title} {dashes}\n"));
            text.Write(BinaryName().IsMatch(file.Title) ? "Binary file"u8 : file.Content);
            text.Write("\n"u8);
        }

        return text.ToArray();
    }

    private static byte[] Tar(string root, List<ResultFile> files)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var file in files)
            {
                var entry = new GnuTarEntry(TarEntryType.RegularFile, $"{root}/{Path.GetFileName(file.Title)}")
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = file.Modified,
                    DataStream = new MemoryStream(file.Content),
                };
                writer.WriteEntry(entry);
            }
        }

        return tar.ToArray();
    }

    private static async Task<byte[]> XzAsync(byte[] data, CancellationToken ct)
    {
        var start = new ProcessStartInfo("xz", "--compress --stdout --quiet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var xz = Process.Start(start) ?? throw new InvalidOperationException("xz did not start.");
        var compressed = new MemoryStream();
        var reading = xz.StandardOutput.BaseStream.CopyToAsync(compressed, ct);
        var errors = xz.StandardError.ReadToEndAsync(ct);
        await xz.StandardInput.BaseStream.WriteAsync(data, ct);
        xz.StandardInput.Close();
        await reading;
        await xz.WaitForExitAsync(ct);
        return xz.ExitCode == 0 ? compressed.ToArray() : throw new InvalidOperationException($"xz failed: {await errors}");
    }

    [GeneratedRegex(@".+\.tar(\..+)?")]
    private static partial Regex BinaryName();
}
