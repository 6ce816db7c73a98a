using System.Net;
using Anvil.Rack.Tftp.Codec;

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>A parsed request, who sent it, and the local address it arrived on (the transfer answers from there).</summary>
internal sealed record TftpTransferRequest(TftpRequest Request, IPEndPoint Client, IPAddress LocalAddress);
