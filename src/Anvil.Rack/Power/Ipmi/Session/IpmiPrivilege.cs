namespace Anvil.Rack.Power.Ipmi.Session;

/// <summary>IPMI session privilege levels (the values on the wire).</summary>
internal enum IpmiPrivilege : byte
{
    Callback = 1,
    User = 2,
    Operator = 3,
    Administrator = 4,
}
