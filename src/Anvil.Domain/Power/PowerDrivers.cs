using System.Collections.Frozen;

namespace Anvil.Domain.Power;

/// <summary>
/// The power types Anvil drives, with MAAS's parameter names (maas-api.md §10), so the API,
/// <c>describe_power_types</c> and the rack's drivers agree on one schema.
/// </summary>
public static class PowerDrivers
{
    public static PowerDriverDescription Manual { get; } = new("manual", "Manual", []) { Queryable = false };

    public static PowerDriverDescription Ipmi { get; } = new("ipmi", "IPMI",
    [
        new PowerField("power_driver", "Power driver", PowerFieldType.Choice, Required: true)
        {
            Choices = [("LAN", "LAN [IPMI 1.5]"), ("LAN_2_0", "LAN_2_0 [IPMI 2.0]")],
            Default = "LAN_2_0",
        },
        new PowerField("power_boot_type", "Power boot type", PowerFieldType.Choice)
        {
            Choices = [("auto", "Automatic"), ("legacy", "Legacy boot"), ("efi", "EFI boot")],
            Default = "auto",
        },
        new PowerField("power_address", "IP address", Required: true),
        new PowerField("power_user", "Power user"),
        new PowerField("power_pass", "Power password", PowerFieldType.Password) { Secret = true },
        new PowerField("k_g", "K_g BMC key", PowerFieldType.Password) { Secret = true },
        new PowerField("cipher_suite_id", "Cipher Suite ID", PowerFieldType.Choice)
        {
            Choices = [("17", "17 - HMAC-SHA256::HMAC_SHA256_128::AES-CBC-128"), ("3", "3 - HMAC-SHA1::HMAC-SHA1-96::AES-CBC-128"), ("", "freeipmi-tools default"), ("8", "8 - HMAC-MD5::HMAC-MD5-128::AES-CBC-128"), ("12", "12 - HMAC-MD5::MD5-128::AES-CBC-128")],
            Default = "3",
        },
        new PowerField("privilege_level", "Privilege Level", PowerFieldType.Choice)
        {
            Choices = [("USER", "User"), ("OPERATOR", "Operator"), ("ADMIN", "Administrator")],
            Default = "OPERATOR",
        },
        new PowerField("workaround_flags", "Workaround Flags", PowerFieldType.MultipleChoice)
        {
            Choices = [("opensesspriv", "Opensesspriv"), ("authcap", "Authcap"), ("idzero", "Idzero"), ("unexpectedauth", "Unexpectedauth"), ("forcepermsg", "Forcepermsg"), ("endianseq", "Endianseq"), ("intel20", "Intel20"), ("supermicro20", "Supermicro20"), ("sun20", "Sun20"), ("nochecksumcheck", "Nochecksumcheck"), ("integritycheckvalue", "Integritycheckvalue"), ("ipmiping", "Ipmiping"), ("", "None")],
            Default = "opensesspriv",
        },
        new PowerField("mac_address", "Power MAC", PowerFieldType.MacAddress) { NodeScope = true },
        new PowerField("power_off_mode", "Power off mode", PowerFieldType.Choice)
        {
            Choices = [("soft", "Soft power off"), ("hard", "Hard power off")],
            Default = "hard",
        },
    ])
    { CanSetBootOrder = false };

    public static PowerDriverDescription Redfish { get; } = new("redfish", "Redfish",
    [
        new PowerField("power_address", "Redfish address", Required: true),
        new PowerField("power_user", "Redfish user", Required: true),
        new PowerField("power_pass", "Redfish password", PowerFieldType.Password, Required: true) { Secret = true },
        new PowerField("node_id", "Node ID") { NodeScope = true },
        new PowerField("power_verify_ssl", "Verify SSL connections with system CA certificates", PowerFieldType.Choice)
        {
            Choices = [("y", "Yes"), ("n", "No")],
            Default = "y",
        },
    ]);

    public static PowerDriverDescription Webhook { get; } = new("webhook", "Webhook",
    [
        new PowerField("power_on_uri", "URI to power on the node", Required: true),
        new PowerField("power_off_uri", "URI to power off the node", Required: true),
        new PowerField("power_query_uri", "URI to query the nodes power status", Required: true),
        new PowerField("power_on_regex", "Regex to confirm the node is on", Required: true) { Default = @"status.*\:.*running" },
        new PowerField("power_off_regex", "Regex to confirm the node is off", Required: true) { Default = @"status.*\:.*stopped" },
        new PowerField("power_user", "Power user"),
        new PowerField("power_pass", "Power password", PowerFieldType.Password) { Secret = true },
        new PowerField("power_token", "Power token, will be used in place of power_user and power_pass", PowerFieldType.Password) { Secret = true },
        new PowerField("power_verify_ssl", "Verify SSL connections with system CA certificates", PowerFieldType.Choice)
        {
            Choices = [("n", "No"), ("y", "Yes")],
            Default = "n",
        },
    ]);

    /// <summary>The lab's emulated machines: QEMU's QMP monitor on a Unix socket the rack can reach.</summary>
    public static PowerDriverDescription Qemu { get; } = new("qemu", "QEMU (QMP socket)",
    [
        new PowerField("power_address", "QMP socket path", Required: true),
    ]);

    public static FrozenDictionary<string, PowerDriverDescription> All { get; } =
        new[] { Manual, Ipmi, Redfish, Webhook, Qemu }.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);
}
