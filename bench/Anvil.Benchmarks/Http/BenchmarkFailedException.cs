namespace Anvil.Benchmarks.Http;

/// <summary>The server or the setup misbehaved, so no figure from this run may be reported.</summary>
internal sealed class BenchmarkFailedException(string message) : Exception(message);
