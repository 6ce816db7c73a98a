using System.Globalization;
using Anvil.Rack.Tftp.Codec;

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>
/// What a transfer runs with after the options of RFC 2347 are weighed: the values granted and the
/// options to acknowledge in an OACK (none means no OACK, plain RFC 1350). Options the server does
/// not know, or whose value is out of range, are left out rather than refused.
/// </summary>
internal sealed record TftpNegotiation(int BlockSize, int WindowSize, TimeSpan Timeout, IReadOnlyList<TftpOption> Acknowledged)
{
    public const int DefaultBlockSize = 512;
    public const int MinBlockSize = 8;
    public const int MaxBlockSize = 65464;

    public static TftpNegotiation Negotiate(TftpRequest request, long fileLength, TftpServerOptions server)
    {
        var blockSize = DefaultBlockSize;
        var windowSize = 1;
        var timeout = server.RetransmitTimeout;
        TftpOption? blockSizeOption = null, windowSizeOption = null, timeoutOption = null, sizeOption = null;

        foreach (var option in request.Options)
        {
            if (option.Is("blksize") && blockSizeOption is null && TryParse(option.Value, out var blksize) && blksize >= MinBlockSize)
            {
                blockSize = (int)Math.Min(blksize, Math.Min(MaxBlockSize, server.MaxBlockSize));
                blockSizeOption = option with { Value = blockSize.ToString(CultureInfo.InvariantCulture) };
            }
            else if (option.Is("timeout") && timeoutOption is null && TryParse(option.Value, out var seconds) && seconds is >= 1 and <= 255)
            {
                // RFC 2349: the server accepts the client's timeout as it is, or leaves the option out.
                timeout = TimeSpan.FromSeconds(seconds);
                timeoutOption = option with { Value = seconds.ToString(CultureInfo.InvariantCulture) };
            }
            else if (option.Is("tsize") && sizeOption is null && request.Mode == TftpMode.Octet && TryParse(option.Value, out _))
            {
                // In netascii mode the size on the wire is not the file's length, so tsize is not offered there.
                sizeOption = option with { Value = fileLength.ToString(CultureInfo.InvariantCulture) };
            }
            else if (option.Is("windowsize") && windowSizeOption is null && TryParse(option.Value, out var window) && window is >= 1 and <= 65535)
            {
                windowSizeOption = option;
                windowSize = (int)window;
            }
        }

        if (windowSizeOption is { } requested)
        {
            var byBytes = Math.Max(1, server.MaxWindowBytes / (blockSize + TftpData.HeaderSize));
            windowSize = Math.Min(windowSize, Math.Min(server.MaxWindowSize, byBytes));
            windowSizeOption = requested with { Value = windowSize.ToString(CultureInfo.InvariantCulture) };
        }

        TftpOption?[] granted = [blockSizeOption, timeoutOption, sizeOption, windowSizeOption];
        var acknowledged = granted.Where(o => o is not null).Select(o => o!.Value).ToArray();
        return new TftpNegotiation(blockSize, windowSize, timeout, acknowledged);
    }

    private static bool TryParse(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
