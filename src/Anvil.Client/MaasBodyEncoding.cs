namespace Anvil.Client;

/// <summary>How POST and PUT parameters are encoded in the request body.</summary>
public enum MaasBodyEncoding
{
    /// <summary><c>multipart/form-data</c> with plain (unencoded) parts.</summary>
    Multipart,

    /// <summary>
    /// <c>multipart/form-data</c> with every part sent as <c>Content-Transfer-Encoding: base64</c>,
    /// as the Python MAAS clients do.
    /// </summary>
    MultipartBase64,

    /// <summary>
    /// <c>application/x-www-form-urlencoded</c>, as the Go client sends; requests with files still
    /// use plain multipart.
    /// </summary>
    UrlEncoded,
}
