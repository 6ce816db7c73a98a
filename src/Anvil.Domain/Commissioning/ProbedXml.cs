using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Anvil.Domain.Commissioning;

/// <summary>
/// The XML outputs kept as a node's probed details (lshw, lldpd), checked before they are stored:
/// XPath tag definitions are evaluated against them.
/// </summary>
public static class ProbedXml
{
    public const string LshwScriptName = "maas-lshw";
    public const string LldpScriptName = "maas-capture-lldpd";

    /// <summary>
    /// lshw's XML with root <c>list</c>: lshw prints one root <c>node</c> (the system), which is
    /// wrapped so that tag paths like <c>//node[@class='system']</c> find it.
    /// </summary>
    public static string NormalizeLshw(ReadOnlySpan<byte> output)
    {
        var root = Load(LshwScriptName, output);
        if (root.Name.LocalName == "node")
            root = new XElement("list", root);
        else if (root.Name.LocalName != "list")
            throw new CommissioningOutputException(LshwScriptName, $"the root element is <{root.Name.LocalName}>, not lshw's <node> or <list>");
        if (!root.Elements("node").Any())
            throw new CommissioningOutputException(LshwScriptName, "the document lists no hardware");
        return root.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>lldpcli's XML (root <c>lldp</c>); null when lldpd was absent and the output is empty.</summary>
    public static string? NormalizeLldp(ReadOnlySpan<byte> output)
    {
        if (output.Trim(" \t\r\n"u8).IsEmpty)
            return null;
        var root = Load(LldpScriptName, output);
        if (root.Name.LocalName != "lldp")
            throw new CommissioningOutputException(LldpScriptName, $"the root element is <{root.Name.LocalName}>, not lldpcli's <lldp>");
        return root.ToString(SaveOptions.DisableFormatting);
    }

    private static XElement Load(string scriptName, ReadOnlySpan<byte> output)
    {
        // Combined output may carry stderr lines (e.g. lshw's warnings) before the document.
        var start = output.IndexOf((byte)'<');
        if (start < 0)
            throw new CommissioningOutputException(scriptName, "the output holds no XML document (was the script's stdout sent?)");
        var text = Encoding.UTF8.GetString(output[start..]);
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(reader).Root ?? throw new CommissioningOutputException(scriptName, "the XML document is empty");
        }
        catch (XmlException e)
        {
            throw new CommissioningOutputException(scriptName, $"the output is not well-formed XML ({e.Message})", e);
        }
    }
}
