namespace Anvil.Client;

/// <summary>A file uploaded as one part of a multipart POST or PUT body.</summary>
/// <param name="Name">The form field name.</param>
/// <param name="FileName">The file name sent in the part's <c>Content-Disposition</c>.</param>
/// <param name="Content">The file's bytes.</param>
public sealed record MaasFile(string Name, string FileName, ReadOnlyMemory<byte> Content);
