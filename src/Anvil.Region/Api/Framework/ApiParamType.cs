namespace Anvil.Region.Api.Framework;

/// <summary>Parameter types as MAAS documents them (and OpenAPI maps them).</summary>
public enum ApiParamType
{
    String,
    Int,
    Float,
    Bool,
    /// <summary>An uploaded file part (multipart), or base64 text.</summary>
    File,
}
