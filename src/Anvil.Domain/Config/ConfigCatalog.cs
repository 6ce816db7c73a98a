using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Config;

/// <summary>
/// The configuration names MAAS clients read and write through <c>maas get_config/set_config</c>,
/// with MAAS's defaults. Unknown names are refused, values are parsed to their kind.
/// </summary>
public static class ConfigCatalog
{
    private static readonly ConfigSetting[] All =
    [
        Str("maas_name", "anvil"),
        Str("theme", ""),
        NullStr("kernel_opts"),
        Int("maas_proxy_port", 8000, 1),
        Bool("use_peer_proxy", false),
        Bool("prefer_v4_proxy", false),
        Int("default_dns_ttl", 30, 1),
        NullStr("upstream_dns"),
        Choice("dnssec_validation", "auto", "auto", "yes", "no"),
        Str("maas_internal_domain", "maas-internal"),
        NullStr("dns_trusted_acl"),
        Bool("allow_only_trusted_transfers", true),
        NullStr("remote_syslog"),
        Int("maas_syslog_port", 5247, 1),
        Int("active_discovery_interval", 10800, 0),
        Choice("default_boot_interface_link_type", "auto", "auto", "dhcp", "static", "link_up"),
        Str("default_osystem", "ubuntu"),
        Str("default_distro_series", "noble"),
        Str("default_min_hwe_kernel", ""),
        Bool("enable_kernel_crash_dump", false),
        Choice("default_storage_layout", "flat", "flat", "lvm", "bcache", "vmfs6", "vmfs7", "custom", "blank"),
        Str("commissioning_distro_series", "noble"),
        Str("commissioning_osystem", "ubuntu"),
        Bool("enable_third_party_drivers", true),
        Bool("enable_disk_erasing_on_release", false),
        Bool("disk_erase_with_secure_erase", true),
        Bool("disk_erase_with_quick_erase", false),
        Bool("boot_images_auto_import", true),
        Bool("boot_images_no_proxy", false),
        Int("boot_images_import_interval_minutes", 60, 1),
        Bool("curtin_verbose", true),
        Bool("force_v1_network_yaml", false),
        Bool("enable_analytics", true),
        Bool("completed_intro", false),
        Int("max_node_commissioning_results", 10, 1),
        Int("max_node_testing_results", 10, 1),
        Int("max_node_installation_results", 3, 1),
        Int("max_node_release_results", 3, 1),
        Int("max_node_deployment_results", 3, 1),
        Int("subnet_ip_exhaustion_threshold_count", 16, 0),
        Bool("release_notifications", true),
        Bool("use_rack_proxy", true),
        Int("node_timeout", 30, 1),
        Bool("prometheus_enabled", false),
        NullStr("prometheus_push_gateway"),
        Int("prometheus_push_interval", 60, 1),
        Bool("promtail_enabled", false),
        Int("promtail_port", 5238, 1),
        Bool("enlist_commissioning", true),
        Str("maas_auto_ipmi_user", "maas"),
        Choice("maas_auto_ipmi_user_privilege_level", "ADMIN", "ADMIN", "OPERATOR", "USER"),
        Str("maas_auto_ipmi_k_g_bmc_key", ""),
        Choice("maas_auto_ipmi_cipher_suite_id", "3", "", "3", "8", "12", "17"),
        NullStr("maas_auto_ipmi_workaround_flags"),
        Str("ntp_servers", "ntp.ubuntu.com"),
        Bool("ntp_external_only", false),
        Str("vcenter_server", ""),
        Str("vcenter_username", ""),
        Str("vcenter_password", ""),
        Str("vcenter_datacenter", ""),
        Str("hardware_sync_interval", "15m"),
        Bool("tls_cert_expiration_notification_enabled", false),
        Int("tls_cert_expiration_notification_interval", 30, 1),
        Int("session_length", 1209600, 1),
        Int("refresh_token_duration", 2592000, 1),
        Bool("auto_vlan_creation", true),
        Bool("experimental_switch_provisioning", false),
        Int("active_discovery_last_scan", 0, 0),
        Bool("enable_http_proxy", true),
        NullStr("http_proxy"),
        Str("maas_url", "http://localhost:5240/MAAS"),
        Choice("network_discovery", "enabled", "enabled", "disabled"),
        Bool("vault_enabled", false),
        NullStr("windows_kms_host"),
    ];

    private static readonly FrozenDictionary<string, ConfigSetting> ByName = All.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Names are accepted under their old MAAS spelling too.</summary>
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["ntp_server"] = "ntp_servers",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEnumerable<ConfigSetting> Settings => All;

    /// <summary>The setting called <paramref name="name"/>; 400 on <c>name</c> when there is none.</summary>
    public static ConfigSetting Get(string name)
    {
        if (Aliases.TryGetValue(name, out var canonical))
            name = canonical;
        return ByName.TryGetValue(name, out var setting)
            ? setting
            : throw new ValidationException("name", $"{name} is not a valid config setting (valid settings are: {string.Join(", ", All.Select(s => s.Name).Order(StringComparer.Ordinal))}).");
    }

    /// <summary>Parses a form value into the setting's JSON value; 400 on <c>value</c> when it does not fit.</summary>
    public static JsonNode? Parse(ConfigSetting setting, string value)
    {
        switch (setting.Kind)
        {
            case ConfigKind.String:
                return JsonValue.Create(value);
            case ConfigKind.NullableString:
                return value.Length == 0 ? null : JsonValue.Create(value);
            case ConfigKind.Int:
                if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                    throw new ValidationException("value", "Enter a whole number.");
                if (setting.Min is { } min && i < min)
                    throw new ValidationException("value", $"Ensure this value is greater than or equal to {min}.");
                return JsonValue.Create(i);
            case ConfigKind.Bool:
                return value.Trim().ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" or "on" => JsonValue.Create(true),
                    "false" or "0" or "no" or "off" or "" => JsonValue.Create(false),
                    _ => throw new ValidationException("value", $"'{value}' is not a valid boolean."),
                };
            case ConfigKind.Choice:
                return setting.Choices!.Contains(value, StringComparer.Ordinal)
                    ? JsonValue.Create(value)
                    : throw new ValidationException("value", $"Select a valid choice. {value} is not one of the available choices ({string.Join(", ", setting.Choices!)}).");
            default:
                throw new InvalidOperationException($"Unknown config kind {setting.Kind}.");
        }
    }

    private static ConfigSetting Str(string name, string defaultValue) => new(name, ConfigKind.String, JsonValue.Create(defaultValue));

    private static ConfigSetting NullStr(string name) => new(name, ConfigKind.NullableString, null);

    private static ConfigSetting Int(string name, int defaultValue, int min) => new(name, ConfigKind.Int, JsonValue.Create(defaultValue), Min: min);

    private static ConfigSetting Bool(string name, bool defaultValue) => new(name, ConfigKind.Bool, JsonValue.Create(defaultValue));

    private static ConfigSetting Choice(string name, string defaultValue, params string[] choices) =>
        new(name, ConfigKind.Choice, JsonValue.Create(defaultValue), choices);
}
