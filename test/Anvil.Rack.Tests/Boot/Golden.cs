using System.Runtime.CompilerServices;
using Shouldly;

namespace Anvil.Rack.Tests.Boot;

/// <summary>
/// Compares rendered text with a file in Boot/Golden next to this source file. Set
/// ANVIL_UPDATE_GOLDEN=1 to rewrite the files from the current output (then review the diff).
/// </summary>
internal static class Golden
{
    public static void ShouldMatchGolden(this string actual, string name, [CallerFilePath] string sourceFile = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(sourceFile)!, "Golden", name);
        if (Environment.GetEnvironmentVariable("ANVIL_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }

        File.Exists(path).ShouldBeTrue($"golden file {path} is missing; run with ANVIL_UPDATE_GOLDEN=1 to create it");
        actual.ShouldBe(File.ReadAllText(path));
    }
}
