using System.Runtime.CompilerServices;
using System.Text;
using Shouldly;

namespace Anvil.Domain.Tests.Netplan;

/// <summary>
/// Compares a rendering with <c>Golden/&lt;name&gt;</c> byte for byte. With ANVIL_UPDATE_GOLDEN=1 it
/// rewrites the file in the source tree instead and still fails, so an update is always a
/// deliberate second run that is then reviewed in the diff.
/// </summary>
internal static class GoldenFile
{
    public static void ShouldMatch(string actual, string name, [CallerFilePath] string callerPath = "")
    {
        if (Environment.GetEnvironmentVariable("ANVIL_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(callerPath)!, "Golden", name), actual);
            throw new ShouldAssertException($"Golden file {name} rewritten; run again without ANVIL_UPDATE_GOLDEN.");
        }
        // Decoded without BOM detection, so a stray BOM or any other byte difference shows up.
        var expected = new UTF8Encoding(false).GetString(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Netplan", "Golden", name)));
        actual.ShouldBe(expected);
    }
}
