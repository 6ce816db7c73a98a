using Microsoft.Extensions.Logging;

namespace Anvil.Region.Images;

/// <summary>Boot image logging; event ids 7700–7799.</summary>
internal static partial class ImagesLog
{
    [LoggerMessage(EventId = 7700, Level = LogLevel.Warning, Message = "Boot source {Url} could not be imported: {Reason}")]
    public static partial void SourceFailed(ILogger logger, string url, string reason);

    [LoggerMessage(EventId = 7701, Level = LogLevel.Information, Message = "Boot image import done: {Images} image(s), {Files} file(s) downloaded ({Bytes} bytes), {Errors} error(s)")]
    public static partial void ImportDone(ILogger logger, int images, int files, long bytes, int errors);

    [LoggerMessage(EventId = 7702, Level = LogLevel.Warning, Message = "Left out {Count} unusable item(s) of {Document}")]
    public static partial void ItemsSkipped(ILogger logger, string document, int count);

    [LoggerMessage(EventId = 7703, Level = LogLevel.Warning, Message = "Boot image file {Path} was not downloaded: {Reason}")]
    public static partial void FileFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 7704, Level = LogLevel.Error, Message = "Boot image import failed")]
    public static partial void ImportFailed(ILogger logger, Exception error);
}
