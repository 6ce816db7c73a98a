namespace Anvil.Dns.Client;

public enum DnsUpdateAction
{
    /// <summary>Add the record to its RRset (RFC 2136 §2.5.1); adding a record that exists changes nothing.</summary>
    Add,

    /// <summary>Delete exactly this record, matched on name, type and data (class NONE, RFC 2136 §2.5.4).</summary>
    Delete,
}
