namespace Anvil.Domain.Tags;

/// <summary>
/// Decides, from a definition's text, whether it can only see what the lshw document itself holds.
/// The merged details document differs from the plain lshw document in three ways: namespaced copies
/// of lshw and LLDP under the root, the root's string value (which includes the copies' text), and
/// lshw's top-level comments. A definition sees none of them when it names no prefix, uses no
/// wildcard or explicit axis (<c>*</c>, <c>node()</c>, <c>::</c>, <c>..</c>, <c>comment()</c>,
/// name functions), and never uses the root itself as a value (a bare <c>.</c> or <c>/</c> outside
/// predicates, or a context-string function). Anything else is evaluated on the merged document.
/// The check errs towards the merged document: a false "no" only costs time.
/// </summary>
internal static class TagDefinitionScope
{
    private static readonly string[] Unsafe =
    [
        "lshw:", "lldp:", "*", "node()", "::", "..", "comment()", "processing-instruction", "name(", "namespace-uri(",
        "string()", "string-length()", "normalize-space()", "number()", "lang(", "id(",
    ];

    public static bool SeesOnlyPlainLshw(string definition)
    {
        var code = WithoutLiterals(definition);
        if (Unsafe.Any(u => code.Contains(u, StringComparison.Ordinal)))
            return false;
        var depth = 0;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '[')
                depth++;
            else if (c == ']')
                depth--;
            else if (depth == 0 && c == '.' && IsStandaloneDot(code, i))
                return false;
            else if (depth == 0 && c == '/' && !StepFollows(code, i))
                return false;
        }

        return true;
    }

    /// <summary>The expression with string literals blanked, so their contents are not mistaken for syntax.</summary>
    private static string WithoutLiterals(string text)
    {
        var chars = text.ToCharArray();
        char? quote = null;
        for (var i = 0; i < chars.Length; i++)
        {
            if (quote is null && chars[i] is '"' or '\'')
            {
                quote = chars[i];
            }
            else if (quote is not null)
            {
                if (chars[i] == quote)
                    quote = null;
                else
                    chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    private static bool IsStandaloneDot(string code, int i)
    {
        var before = i > 0 ? code[i - 1] : ' ';
        var after = i + 1 < code.Length ? code[i + 1] : ' ';
        return !IsNameOrNumber(before) && !IsNameOrNumber(after) && after != '/';
    }

    /// <summary>Whether a '/' is followed by a step (a name, '@' or another '/'), i.e. is not the root used alone.</summary>
    private static bool StepFollows(string code, int i)
    {
        if (i > 0 && code[i - 1] == '/')
            return true;
        var j = i + 1;
        while (j < code.Length && char.IsWhiteSpace(code[j]))
            j++;
        return j < code.Length && (char.IsLetter(code[j]) || code[j] is '_' or '@' or '/');
    }

    private static bool IsNameOrNumber(char c) => char.IsLetterOrDigit(c) || c is '_' or '-';
}
