using System.Xml;
using System.Xml.XPath;
using Anvil.Domain.Errors;

namespace Anvil.Domain.Tags;

/// <summary>
/// An automatic tag's XPath 1.0 definition, evaluated against a node's probed details: the lshw
/// XML document (root <c>list</c>, usable without a prefix and as <c>lshw:</c>) and the LLDP
/// document (prefix <c>lldp:</c>). An empty definition means a manual tag that never matches.
/// One instance may be used from many threads at once (each evaluation works on its own copy of
/// the compiled expression), which is how a definition is re-evaluated over every node in parallel.
/// </summary>
public sealed class TagDefinition
{
    private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    // The plain path never shows comments, processing instructions or whitespace-only text (the
    // merged document drops the latter too), so the reader skips building them.
    private static readonly XmlReaderSettings PlainReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    private readonly XPathExpression? _expression;
    private readonly bool _plainLshwSuffices;

    private TagDefinition(XPathExpression? expression, bool plainLshwSuffices)
    {
        _expression = expression;
        _plainLshwSuffices = plainLshwSuffices;
    }

    public bool IsManual => _expression is null;

    /// <summary>Compiles the definition; a syntax error is a 400 on <c>definition</c>.</summary>
    public static TagDefinition Parse(string definition)
    {
        if (string.IsNullOrWhiteSpace(definition))
            return new TagDefinition(null, false);
        try
        {
            var expression = XPathExpression.Compile(definition);
            expression.SetContext(Namespaces());
            return new TagDefinition(expression, TagDefinitionScope.SeesOnlyPlainLshw(definition));
        }
        catch (XPathException e)
        {
            throw new ValidationException("definition", $"Invalid XPath expression: {e.Message}");
        }
    }

    public bool Matches(string? lshwXml, string? lldpXml) => Matches(lshwXml, lldpXml, allowPlain: true);

    /// <summary>With <paramref name="allowPlain"/> false, always evaluates on the merged document (for checking the fast path).</summary>
    internal bool Matches(string? lshwXml, string? lldpXml, bool allowPlain)
    {
        if (_expression is null)
            return false;
        // A compiled expression keeps evaluation state; each evaluation gets its own copy.
        var expression = _expression.Clone();
        var navigator = allowPlain && _plainLshwSuffices && string.IsNullOrWhiteSpace(lldpXml) && PlainLshw(lshwXml) is { } plain
            ? plain
            : Merged(lshwXml, lldpXml);
        object result;
        try
        {
            result = navigator.Evaluate(expression);
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

    /// <summary>How many of the lshw documents (no LLDP) match, evaluated on every core; for measuring and checking.</summary>
    public int CountMatches(IReadOnlyList<string?> lshwDocuments)
    {
        var count = 0;
        Parallel.For(0, lshwDocuments.Count, () => 0, (i, _, local) => Matches(lshwDocuments[i], null) ? local + 1 : local, local => Interlocked.Add(ref count, local));
        return count;
    }

    /// <summary>
    /// The lshw document as it is, when its root is a bare <c>list</c>: then, for a definition that
    /// cannot see the namespaced copies (see <see cref="TagDefinitionScope"/>), it answers exactly
    /// as the merged document does, at a fraction of the cost (one read-only parse, no copies).
    /// </summary>
    private static XPathNavigator? PlainLshw(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
            return null;
        XPathDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), PlainReaderSettings);
            document = new XPathDocument(reader);
        }
        catch (XmlException)
        {
            return null;
        }

        var navigator = document.CreateNavigator();
        var root = navigator.Clone();
        return root.MoveToChild(XPathNodeType.Element) && root.LocalName == "list" && root.NamespaceURI.Length == 0 && !root.HasAttributes
            ? navigator
            : null;
    }

    /// <summary>MAAS's merged details document: a <c>list</c> root holding lshw's children, then lshw and LLDP copied into their namespaces.</summary>
    private static XPathNavigator Merged(string? lshwXml, string? lldpXml)
    {
        var document = new XmlDocument { XmlResolver = null };
        var root = document.CreateElement("list");
        document.AppendChild(root);
        Import(document, root, lshwXml, "lshw");
        Import(document, root, lldpXml, "lldp");
        return document.CreateNavigator()!;
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
            using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings);
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
