using System.Globalization;
using System.Text.RegularExpressions;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Scripts;

/// <summary>
/// The names MAAS accepts and shows for script fields (its translate_script_type,
/// translate_hardware_type, translate_script_parallel, the *_CHOICES labels) and the duration
/// format of Django's DurationField. Every reader throws <see cref="ValidationException"/> on the
/// field it reads, with MAAS's message.
/// </summary>
public static partial class ScriptMetadataConversions
{
    public static ScriptType ParseScriptType(string field, string text)
    {
        var value = text.Trim();
        if (IsDigits(value))
        {
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Enum.IsDefined((ScriptType)n)
                ? (ScriptType)n
                : throw new ValidationException(field, n == 4 ? DeploymentUnsupported : "Invalid script type numeric value.");
        }

        return value switch
        {
            "test" or "testing" => ScriptType.Testing,
            "commission" or "commissioning" => ScriptType.Commissioning,
            "release" => ScriptType.Release,
            "deployment" => throw new ValidationException(field, DeploymentUnsupported),
            _ => throw new ValidationException(field, "Script type must be commissioning, testing, release or deployment"),
        };
    }

    public static HardwareType ParseHardwareType(string field, string text)
    {
        var value = text.Trim();
        if (IsDigits(value))
        {
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Enum.IsDefined((HardwareType)n)
                ? (HardwareType)n
                : throw new ValidationException(field, "Invalid hardware type numeric value.");
        }

        return value.ToLowerInvariant() switch
        {
            "node" or "machine" or "controller" or "other" or "generic" => HardwareType.Node,
            "cpu" or "processor" => HardwareType.Cpu,
            "memory" or "ram" => HardwareType.Memory,
            "storage" or "disk" or "ssd" => HardwareType.Storage,
            "network" or "net" or "interface" => HardwareType.Network,
            "gpu" or "graphics" => HardwareType.Gpu,
            _ => throw new ValidationException(field, "Hardware type must be node, cpu, memory, storage, or gpu"),
        };
    }

    public static ScriptParallel ParseParallel(string field, string text)
    {
        var value = text.Trim();
        if (IsDigits(value))
        {
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Enum.IsDefined((ScriptParallel)n)
                ? (ScriptParallel)n
                : throw new ValidationException(field, "Invalid script parallel numeric value.");
        }

        return value switch
        {
            "disabled" or "none" => ScriptParallel.Disabled,
            "instance" or "name" => ScriptParallel.Instance,
            "any" or "enabled" => ScriptParallel.Any,
            _ => throw new ValidationException(field, "Script parallel must be disabled, instance, or any."),
        };
    }

    /// <summary>Django's DurationField: plain seconds, or <c>[DD ][[HH:]MM:]SS[.ffffff]</c>.</summary>
    public static TimeSpan ParseDuration(string field, string text)
    {
        var match = DurationRegex().Match(text.Trim());
        if (!match.Success)
            throw new ValidationException(field, "Enter a valid duration.");
        double Part(string name) => match.Groups[name].Success ? double.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = (Part("days") * 86400) + (Part("hours") * 3600) + (Part("minutes") * 60) + Part("seconds");
        if (match.Groups["sign"].Value == "-")
            seconds = -seconds;
        return seconds is < 0 or > int.MaxValue
            ? throw new ValidationException(field, "Ensure this value is greater than or equal to 0.")
            : TimeSpan.FromSeconds(Math.Floor(seconds));
    }

    /// <summary>Python's <c>str(timedelta)</c>, as MAAS renders durations: <c>0:05:00</c>, <c>1 day, 2:00:00</c>.</summary>
    public static string FormatDuration(TimeSpan value)
    {
        var clock = string.Create(CultureInfo.InvariantCulture, $"{value.Hours}:{value.Minutes:00}:{value.Seconds:00}");
        return value.Days switch
        {
            0 => clock,
            1 => $"1 day, {clock}",
            var d => string.Create(CultureInfo.InvariantCulture, $"{d} days, {clock}"),
        };
    }

    /// <summary>SCRIPT_TYPE_CHOICES labels.</summary>
    public static string Label(ScriptType type) => type switch
    {
        ScriptType.Commissioning => "Commissioning script",
        ScriptType.Testing => "Testing script",
        ScriptType.Release => "Release script",
        _ => "unknown",
    };

    /// <summary>HARDWARE_TYPE_CHOICES labels; lowercased they are the tags MAAS puts on every script.</summary>
    public static string Label(HardwareType type) => type switch
    {
        HardwareType.Node => "Node",
        HardwareType.Cpu => "CPU",
        HardwareType.Memory => "Memory",
        HardwareType.Storage => "Storage",
        HardwareType.Network => "Network",
        HardwareType.Gpu => "GPU",
        _ => "Unknown",
    };

    /// <summary>SCRIPT_PARALLEL_CHOICES labels.</summary>
    public static string Label(ScriptParallel parallel) => parallel switch
    {
        ScriptParallel.Disabled => "Disabled",
        ScriptParallel.Instance => "Run along other instances of this script",
        ScriptParallel.Any => "Run along any other script.",
        _ => "Unknown",
    };

    /// <summary>RESULT_TYPE_CHOICES labels.</summary>
    public static string Label(ResultType type) => type switch
    {
        ResultType.Commissioning => "Commissioning",
        ResultType.Installation => "Installation",
        ResultType.Testing => "Testing",
        ResultType.Release => "Release",
        _ => "Unknown",
    };

    /// <summary>SCRIPT_STATUS_CHOICES labels; −1 (no results) is "Unknown".</summary>
    public static string Label(ScriptStatus status) => status switch
    {
        ScriptStatus.Pending => "Pending",
        ScriptStatus.Running => "Running",
        ScriptStatus.Passed => "Passed",
        ScriptStatus.Failed => "Failed",
        ScriptStatus.TimedOut => "Timed out",
        ScriptStatus.Aborted => "Aborted",
        ScriptStatus.Degraded => "Degraded",
        ScriptStatus.Installing => "Installing dependencies",
        ScriptStatus.FailedInstalling => "Failed installing dependencies",
        ScriptStatus.Skipped => "Skipped",
        ScriptStatus.ApplyingNetconf => "Applying custom network configuration",
        ScriptStatus.FailedApplyingNetconf => "Failed to apply custom network configuration",
        _ => "Unknown",
    };

    /// <summary>MAAS's translate_result_type, for the <c>type</c> filter of script results.</summary>
    public static ResultType ParseResultType(string text)
    {
        var value = text.Trim();
        if (IsDigits(value))
        {
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Enum.IsDefined((ResultType)n)
                ? (ResultType)n
                : throw new BadRequestException("Invalid result type numeric value.");
        }

        return value switch
        {
            "test" or "testing" => ResultType.Testing,
            "commission" or "commissioning" => ResultType.Commissioning,
            "install" or "installation" => ResultType.Installation,
            "release" => ResultType.Release,
            _ => throw new BadRequestException("Invalid result type name"),
        };
    }

    private const string DeploymentUnsupported = "Deployment scripts are not supported.";

    private static bool IsDigits(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

    [GeneratedRegex(@"^(?<sign>[-+]?)(?:(?<days>\d+) (?:days?,? )?)?(?:(?:(?<hours>\d+):)?(?<minutes>\d+):)?(?<seconds>\d+(?:\.\d{1,6})?)$")]
    private static partial Regex DurationRegex();
}
