namespace Anvil.Rack.Tests.Tftp.Codec;

/// <summary>
/// UDP payloads captured with tcpdump on loopback: tftp-hpa 5.2's client and curl 7.88.1 fetching
/// from tftpd-hpa 5.2 (<c>in.tftpd -L -s</c>). The file hello.txt held "hello\nworld\r\n"; bin.dat
/// 1500 random bytes.
/// </summary>
internal static class Captures
{
    /// <summary><c>tftp -m binary -c get bin.dat</c>.</summary>
    public static readonly byte[] HpaReadOctet = Convert.FromHexString("000162696e2e646174006f6374657400");

    /// <summary><c>tftp -m ascii -c get hello.txt</c>.</summary>
    public static readonly byte[] HpaReadNetascii = Convert.FromHexString("000168656c6c6f2e747874006e6574617363696900");

    /// <summary>tftpd-hpa's answer to the netascii read: block 1 of hello.txt.</summary>
    public static readonly byte[] TftpdNetasciiData = Convert.FromHexString("0003000168656c6c6f0d0a776f726c640d000d0a");

    /// <summary><c>curl --tftp-blksize 1468 tftp://…/bin.dat</c>: tsize 0, blksize 1468, timeout 6.</summary>
    public static readonly byte[] CurlReadWithOptions = Convert.FromHexString(
        "000162696e2e646174006f63746574007473697a65003000626c6b73697a6500313436380074696d656f7574003600");

    /// <summary>tftpd-hpa's OACK to curl's read: tsize 1500, blksize 1468, timeout 6.</summary>
    public static readonly byte[] TftpdOptionAck = Convert.FromHexString(
        "00067473697a65003135303000626c6b73697a6500313436380074696d656f7574003600");

    /// <summary>curl's ACK of the OACK.</summary>
    public static readonly byte[] CurlAckZero = Convert.FromHexString("00040000");

    /// <summary>tftp-hpa's ACK of block 3.</summary>
    public static readonly byte[] HpaAckThree = Convert.FromHexString("00040003");

    /// <summary>The header and first bytes of tftpd-hpa's DATA block 2 to curl (1468-byte blocks, 32 bytes left).</summary>
    public static readonly byte[] TftpdLastData = Convert.FromHexString(
        "00030002e789868abadaade5d20adf64ae8a06b8db100badb5bf80ffb015e45910de2af1");

    /// <summary><c>tftp -m binary -c put out1 x</c>.</summary>
    public static readonly byte[] HpaWrite = Convert.FromHexString("000278006f6374657400");

    /// <summary><c>tftp -m binary -c get nope</c>.</summary>
    public static readonly byte[] HpaReadMissing = Convert.FromHexString("00016e6f7065006f6374657400");

    /// <summary>tftpd-hpa's answer to the missing file.</summary>
    public static readonly byte[] TftpdFileNotFound = Convert.FromHexString("0005000146696c65206e6f7420666f756e6400");

    public static IEnumerable<byte[]> All =>
    [
        HpaReadOctet, HpaReadNetascii, TftpdNetasciiData, CurlReadWithOptions, TftpdOptionAck, CurlAckZero,
        HpaAckThree, TftpdLastData, HpaWrite, HpaReadMissing, TftpdFileNotFound,
    ];
}
