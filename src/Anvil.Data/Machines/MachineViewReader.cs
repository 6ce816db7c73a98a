using Anvil.Domain.Scripts;
using Npgsql;

namespace Anvil.Data.Machines;

/// <summary>
/// Maps <see cref="MachineStore"/>'s listing rows by ordinal; each method follows its SELECT's
/// column order exactly.
/// </summary>
internal static class MachineViewReader
{
    public static MachineView Machine(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        SystemId = r.GetString(1),
        Hostname = r.GetString(2),
        Description = r.GetString(3),
        NodeType = r.GetInt32(4),
        Status = r.GetInt32(5),
        OwnerId = NullableInt64(r, 6),
        OwnerName = NullableString(r, 7),
        Locked = r.GetBoolean(8),
        DomainId = r.GetInt64(9),
        DomainName = r.GetString(10),
        DomainAuthoritative = r.GetBoolean(11),
        DomainTtl = NullableInt32(r, 12),
        DomainIsDefault = r.GetBoolean(13),
        ZoneId = r.GetInt64(14),
        ZoneName = r.GetString(15),
        ZoneDescription = r.GetString(16),
        PoolId = NullableInt64(r, 17),
        PoolName = NullableString(r, 18),
        PoolDescription = NullableString(r, 19),
        Architecture = r.GetString(20),
        MinHweKernel = r.GetString(21),
        HweKernel = NullableString(r, 22),
        CpuCount = r.GetInt32(23),
        CpuSpeed = r.GetInt32(24),
        Memory = r.GetInt32(25),
        SwapSize = NullableInt64(r, 26),
        Osystem = r.GetString(27),
        DistroSeries = r.GetString(28),
        EphemeralDeploy = r.GetBoolean(29),
        EnableHwSync = r.GetBoolean(30),
        EnableKernelCrashDump = r.GetBoolean(31),
        IsDpu = r.GetBoolean(32),
        DisableIpv4 = r.GetBoolean(33),
        Netboot = r.GetBoolean(34),
        ErrorDescription = r.GetString(35),
        AgentName = r.GetString(36),
        HardwareUuid = NullableString(r, 37),
        BiosBootMethod = NullableString(r, 38),
        PowerType = r.GetString(39),
        PowerState = r.GetString(40),
        StatusMessage = NullableString(r, 41),
        StatusAction = NullableString(r, 42),
        AddressTtl = NullableInt32(r, 43),
        ParentSystemId = NullableString(r, 44),
        CurrentCommissioningResultId = NullableInt64(r, 45),
        CurrentTestingResultId = NullableInt64(r, 46),
        CurrentInstallationResultId = NullableInt64(r, 47),
        WorkloadAnnotations = r.GetString(48),
        HardwareInfo = r.GetString(49),
        Created = r.GetFieldValue<DateTimeOffset>(50),
        Updated = r.GetFieldValue<DateTimeOffset>(51),
    };

    public static InterfaceView Interface(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        NodeId = r.GetInt64(1),
        Name = r.GetString(2),
        Type = r.GetString(3),
        MacAddress = NullableString(r, 4),
        Enabled = r.GetBoolean(5),
        Tags = r.GetFieldValue<string[]>(6),
        Mtu = NullableInt32(r, 7),
        Vendor = NullableString(r, 8),
        Product = NullableString(r, 9),
        FirmwareVersion = NullableString(r, 10),
        LinkConnected = r.GetBoolean(11),
        InterfaceSpeed = r.GetInt32(12),
        LinkSpeed = r.GetInt32(13),
        NumaNode = r.GetInt32(14),
        SriovMaxVf = r.GetInt32(15),
        VlanId = NullableInt64(r, 16),
        Params = r.GetString(17),
        AcceptRa = r.IsDBNull(18) ? null : r.GetBoolean(18),
        DefaultGatewayV4IpId = NullableInt64(r, 19),
        DefaultGatewayV6IpId = NullableInt64(r, 20),
    };

    public static InterfaceAddressView Address(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), NullableString(r, 3), NullableInt64(r, 4), r.GetBoolean(5));

    public static BlockDeviceView BlockDevice(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        NodeId = r.GetInt64(1),
        Name = r.GetString(2),
        Type = r.GetString(3),
        Model = r.GetString(4),
        Serial = r.GetString(5),
        IdPath = NullableString(r, 6),
        Size = r.GetInt64(7),
        BlockSize = r.GetInt32(8),
        Tags = r.GetFieldValue<string[]>(9),
        IsBootDisk = r.GetBoolean(10),
        Uuid = NullableString(r, 11),
        FirmwareVersion = NullableString(r, 12),
        NumaNode = r.GetInt32(13),
    };

    public static PartitionView Partition(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        BlockdeviceId = r.GetInt64(1),
        Number = r.GetInt32(2),
        Size = r.GetInt64(3),
        Uuid = NullableString(r, 4),
        Bootable = r.GetBoolean(5),
        Tags = r.GetFieldValue<string[]>(6),
    };

    public static NodeDeviceView Device(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        NodeId = r.GetInt64(1),
        Bus = r.GetInt32(2),
        HardwareType = r.GetInt32(3),
        VendorId = r.GetString(4),
        ProductId = r.GetString(5),
        VendorName = r.GetString(6),
        ProductName = r.GetString(7),
        CommissioningDriver = r.GetString(8),
    };

    /// <summary>A row of the script result select: node id, result type, the script's hardware type, status, suppressed.</summary>
    public static NodeScriptResult ScriptResult(NpgsqlDataReader r) =>
        new((ResultType)r.GetInt32(1), r.IsDBNull(2) ? null : (HardwareType)r.GetInt32(2), (ScriptStatus)r.GetInt32(3), r.GetBoolean(4));

    private static string? NullableString(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static long? NullableInt64(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetInt64(ordinal);

    private static int? NullableInt32(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetInt32(ordinal);
}
