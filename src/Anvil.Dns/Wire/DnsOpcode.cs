namespace Anvil.Dns.Wire;

internal enum DnsOpcode : byte
{
    Query = 0,
    Notify = 4,
    Update = 5,
}
