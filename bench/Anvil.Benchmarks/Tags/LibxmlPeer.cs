using System.Diagnostics;
using System.Globalization;
using Anvil.Benchmarks.Http;

namespace Anvil.Benchmarks.Tags;

/// <summary>
/// The peer: libxml2 (the engine under lxml, which MAAS evaluates tags with) driven from Debian's
/// python3 through ctypes, as neither xmllint nor lxml is installed here. It parses and evaluates
/// the same documents from files, single-threaded, without MAAS's document merge, so it is a lower
/// bound of what MAAS spends per node.
/// </summary>
internal static class LibxmlPeer
{
    public static async Task<(int Matches, TimeSpan Took)> RunAsync(string directory, string definition, CancellationToken ct)
    {
        var script = Path.Combine(directory, "libxml2_peer.py");
        await File.WriteAllTextAsync(script, Script, ct);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, directory, definition })
            start.ArgumentList.Add(arg);
        using var python = Process.Start(start) ?? throw new BenchmarkFailedException("python3 did not start.");
        var output = await python.StandardOutput.ReadToEndAsync(ct);
        var errors = await python.StandardError.ReadToEndAsync(ct);
        await python.WaitForExitAsync(ct);
        if (python.ExitCode != 0)
            throw new BenchmarkFailedException($"the libxml2 peer failed: {errors}");
        var parts = output.Trim().Split(' ');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(parts[1], CultureInfo.InvariantCulture)));
    }

    private const string Script = """"
        """The peer for `Anvil.Benchmarks tags`: libxml2 (the engine under lxml, which MAAS uses) through
        ctypes, since neither xmllint nor lxml is installed. Compiles the XPath once, then parses and
        evaluates every .xml file in a directory, single-threaded, and prints "<matches> <seconds>"."""
        import ctypes
        import os
        import sys
        import time

        lib = ctypes.CDLL("libxml2.so.2")
        lib.xmlReadFile.restype = ctypes.c_void_p
        lib.xmlReadFile.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
        lib.xmlXPathNewContext.restype = ctypes.c_void_p
        lib.xmlXPathNewContext.argtypes = [ctypes.c_void_p]
        lib.xmlXPathRegisterNs.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
        lib.xmlXPathCompile.restype = ctypes.c_void_p
        lib.xmlXPathCompile.argtypes = [ctypes.c_char_p]
        lib.xmlXPathCompiledEval.restype = ctypes.c_void_p
        lib.xmlXPathCompiledEval.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        lib.xmlXPathCastToBoolean.restype = ctypes.c_int
        lib.xmlXPathCastToBoolean.argtypes = [ctypes.c_void_p]
        lib.xmlXPathFreeObject.argtypes = [ctypes.c_void_p]
        lib.xmlXPathFreeContext.argtypes = [ctypes.c_void_p]
        lib.xmlFreeDoc.argtypes = [ctypes.c_void_p]

        directory, expression = sys.argv[1], sys.argv[2].encode()
        files = sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".xml"))
        started = time.perf_counter()
        compiled = lib.xmlXPathCompile(expression)
        matches = 0
        for path in files:
            doc = lib.xmlReadFile(path.encode(), None, 0)
            ctx = lib.xmlXPathNewContext(doc)
            lib.xmlXPathRegisterNs(ctx, b"lshw", b"lshw")
            lib.xmlXPathRegisterNs(ctx, b"lldp", b"lldp")
            result = lib.xmlXPathCompiledEval(compiled, ctx)
            if result and lib.xmlXPathCastToBoolean(result):
                matches += 1
            lib.xmlXPathFreeObject(result)
            lib.xmlXPathFreeContext(ctx)
            lib.xmlFreeDoc(doc)
        print(matches, time.perf_counter() - started)
        """";
}
