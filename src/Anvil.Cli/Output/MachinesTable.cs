using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Anvil.Cli.Output;

/// <summary>The human view of <c>machines read</c>.</summary>
internal static class MachinesTable
{
    private static readonly string[] Columns =
        ["hostname", "system_id", "status_name", "owner", "power_state", "cpu_count", "memory", "zone", "pool"];

    public static Table Build(JsonElement machines)
    {
        var table = new Table();
        foreach (var column in Columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        if (machines.ValueKind != JsonValueKind.Array)
        {
            return table;
        }

        foreach (var machine in machines.EnumerateArray())
        {
            table.AddRow(Columns.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(Cell(machine, c))));
        }

        return table;
    }

    private static string Cell(JsonElement machine, string field)
    {
        if (machine.ValueKind != JsonValueKind.Object || !machine.TryGetProperty(field, out var value))
        {
            return "";
        }

        if (field == "memory" && value.TryGetInt64(out var mebibytes))
        {
            return (mebibytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            // zone and pool are nested objects; their name is what people recognise.
            JsonValueKind.Object => value.TryGetProperty("name", out var name) ? name.ToString() : value.GetRawText(),
            _ => value.GetRawText(),
        };
    }
}
