namespace Anvil.Dns.Wire;

/// <summary>
/// A malformed message. Only the wire reader throws it, and the parser's TryParse catches it, so
/// callers of the parser never see an exception from bad input.
/// </summary>
internal sealed class DnsWireException(string message) : Exception(message);
