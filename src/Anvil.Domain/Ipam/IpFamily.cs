namespace Anvil.Domain.Ipam;

/// <summary>The address family; the value is the IP version, as PostgreSQL's <c>family()</c> returns it.</summary>
public enum IpFamily
{
    V4 = 4,
    V6 = 6,
}
