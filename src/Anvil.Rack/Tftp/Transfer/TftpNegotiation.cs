using System.Globalization;
using Anvil.Rack.Tftp.Codec;

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>
/// What a transfer runs with after the options of RFC 2347 are weighed: the values granted and the
/// options to acknowledge in an OACK, in the client's order (none means no OACK, plain RFC 1350).
/// Options the server does not know, repeated ones, and ones whose value is out of range are left
/// out rather than refused.
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
        var acknowledged = new List<TftpOption>();
        bool hasBlockSize = false, hasTimeout = false, hasSize = false;
        var windowIndex = -1;

        foreach (var option in request.Options)
        {
            if (option.Is("blksize") && !hasBlockSize && TryParse(option.Value, out var blksize) && blksize >= MinBlockSize)
            {
                hasBlockSize = true;
                blockSize = (int)Math.Min(blksize, Math.Min(MaxBlockSize, server.MaxBlockSize));
                acknowledged.Add(option with { Value = Text(blockSize) });
            }
            else if (option.Is("timeout") && !hasTimeout && TryParse(option.Value, out var seconds) && seconds is >= 1 and <= 255)
            {
                // RFC 2349: the server takes the client's timeout as it is, or leaves the option out.
                hasTimeout = true;
                timeout = TimeSpan.FromSeconds(seconds);
                acknowledged.Add(option with { Value = Text(seconds) });
            }
            else if (option.Is("tsize") && !hasSize && request.Mode == TftpMode.Octet && TryParse(option.Value, out _))
            {
                // In netascii mode the size on the wire is not the file's length, so tsize is not offered there.
                hasSize = true;
                acknowledged.Add(option with { Value = Text(fileLength) });
            }
            else if (option.Is("windowsize") && windowIndex < 0 && TryParse(option.Value, out var window) && window is >= 1 and <= 65535)
            {
                windowIndex = acknowledged.Count;
                windowSize = (int)window;
                acknowledged.Add(option);
            }
        }

        if (windowIndex >= 0)
        {
            // The window is held in memory until acknowledged, so its bytes are bounded too.
            var byBytes = Math.Max(1, server.MaxWindowBytes / (blockSize + TftpData.HeaderSize));
            windowSize = Math.Min(windowSize, Math.Min(server.MaxWindowSize, byBytes));
            acknowledged[windowIndex] = acknowledged[windowIndex] with { Value = Text(windowSize) };
        }

        return new TftpNegotiation(blockSize, windowSize, timeout, acknowledged);
    }

    private static bool TryParse(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
