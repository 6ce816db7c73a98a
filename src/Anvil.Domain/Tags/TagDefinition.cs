using System.Xml;
using System.Xml.XPath;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Tags;

/// <summary>
/// An automatic tag's XPath 1.0 definition, evaluated against a node's probed details: the lshw
/// XML document (root <c>list</c>, usable without a prefix and as <c>lshw:</c>) and the LLDP
/// document (prefix <c>lldp:</c>). An empty definition means a manual tag that never matches.
/// </summary>
public sealed class TagDefinition
{
    private readonly XPathExpression? _expression;

    private TagDefinition(XPathExpression? expression) => _expression = expression;

    public bool IsManual => _expression is null;

    /// <summary>Compiles the definition; a syntax error is a 400 on <c>definition</c>.</summary>
    public static TagDefinition Parse(string definition)
    {
        if (string.IsNullOrWhiteSpace(definition))
            return new TagDefinition(null);
        try
        {
            var expression = XPathExpression.Compile(definition);
            expression.SetContext(Namespaces());
            return new TagDefinition(expression);
        }
        catch (XPathException e)
        {
            throw new ValidationException("definition", $"Invalid XPath expression: {e.Message}");
        }
    }

    public bool Matches(string? lshwXml, string? lldpXml)
    {
        if (_expression is null)
            return false;
        var document = new XmlDocument { XmlResolver = null };
        var root = document.CreateElement("list");
        document.AppendChild(root);
        Import(document, root, lshwXml, "lshw");
        Import(document, root, lldpXml, "lldp");
        var navigator = document.CreateNavigator()!;
        object result;
        try
        {
            result = navigator.Evaluate(_expression);
        }
        catch (XPathException)
        {
            return false;
        }

        return result switch
        {
            bool b => b,
            double d => d != 0 && !double.IsNaN(d),
            string s => s.Length > 0,
            XPathNodeIterator it => it.MoveNext(),
            _ => false,
        };
    }

    /// <summary>
    /// Puts the detail's children directly under the root (so plain lshw paths like
    /// <c>//node[@class="system"]</c> work) and a namespaced copy for <c>lshw:</c>/<c>lldp:</c> paths.
    /// </summary>
    private static void Import(XmlDocument target, XmlElement root, string? xml, string ns)
    {
        if (string.IsNullOrWhiteSpace(xml))
            return;
        var source = new XmlDocument { XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            source.Load(reader);
        }
        catch (XmlException)
        {
            return;
        }

        if (source.DocumentElement is null)
            return;
        if (ns == "lshw")
        {
            foreach (XmlNode child in source.DocumentElement.ChildNodes)
                root.AppendChild(target.ImportNode(child, deep: true));
        }

        root.AppendChild(CopyIntoNamespace(target, source.DocumentElement, ns));
    }

    private static XmlElement CopyIntoNamespace(XmlDocument target, XmlElement element, string ns)
    {
        var copy = target.CreateElement(ns, element.LocalName, ns);
        foreach (XmlAttribute attribute in element.Attributes)
            copy.SetAttribute(attribute.LocalName, attribute.Value);
        foreach (XmlNode child in element.ChildNodes)
        {
            copy.AppendChild(child is XmlElement e ? CopyIntoNamespace(target, e, ns) : target.ImportNode(child, deep: true));
        }

        return copy;
    }

    private static XmlNamespaceManager Namespaces()
    {
        var manager = new XmlNamespaceManager(new NameTable());
        manager.AddNamespace("lshw", "lshw");
        manager.AddNamespace("lldp", "lldp");
        return manager;
    }
}
