using System.Text.RegularExpressions;
using Anvil.Domain.Errors;

namespace Anvil.Region.Api.Resources;

/// <summary>
/// Names of zones, pools and tags appear in URL paths and in allocation constraints
/// (<c>zone=</c>, <c>tags=a,b</c>), so they are restricted to letters, digits, '-' and '_'.
/// </summary>
internal static partial class ResourceNames
{
    private const int MaxLength = 256;

    public static string Check(string field, string name)
    {
        if (name.Length == 0)
            throw new ValidationException(field, "This field is required.");
        if (name.Length > MaxLength)
            throw new ValidationException(field, $"Ensure this value has at most {MaxLength} characters (it has {name.Length}).");
        if (!NameRegex().IsMatch(name))
            throw new ValidationException(field, "Name must contain only letters, digits, hyphens and underscores.");
        return name;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NameRegex();
}
