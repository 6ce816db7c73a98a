namespace Anvil.Region.Api.Framework;

/// <summary>One part of a multipart/form-data body, transfer encoding already undone.</summary>
internal sealed record MultipartPart(string? Name, string? FileName, string? ContentType, byte[] Content)
{
    /// <summary>Django's rule: a part with a filename parameter is a file, anything else a field.</summary>
    public bool IsFile => FileName is not null;
}
