using System.Net.WebSockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Anvil.Rpc;

/// <summary>
/// Mutual authentication with the shared secret, before any call: the region sends a fresh nonce;
/// the rack answers with its own nonce and HMAC(secret, "rack", region nonce, rack nonce); the
/// region checks it and answers HMAC(secret, "region", rack nonce, region nonce), which the rack
/// checks. The secret never crosses the wire, each side's nonce makes every exchange fresh, and the
/// role labels stop one side's answer from being reflected back as the other's.
/// </summary>
public static class LinkHandshake
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The region's side; returns the open connection, or throws <see cref="LinkException"/> when the rack fails the challenge.</summary>
    public static async Task<LinkConnection> AcceptAsync(
        WebSocket socket, SharedSecret secret, string peerName, LinkCallHandler handler, ILogger logger, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var connection = new LinkConnection(socket, peerName, handler, logger);
        var regionNonce = NewNonce();
        await connection.SendAsync(new LinkMessage { Type = LinkMessage.Challenge, Nonce = regionNonce }, timeout.Token);
        var auth = await LinkConnection.ReceiveAsync(socket, timeout.Token);
        if (auth is not { Type: LinkMessage.Auth, Nonce: { } rackNonce, Digest: { } digest } || !TryDecode(digest, out var proof)
            || !secret.Verify(proof, "rack", regionNonce, rackNonce))
        {
            await RefuseAsync(socket);
            throw new LinkException($"{peerName} failed the shared-secret challenge.");
        }

        await connection.SendAsync(new LinkMessage { Type = LinkMessage.Auth, Digest = Encode(secret.Sign("region", rackNonce, regionNonce)) }, timeout.Token);
        connection.Start();
        return connection;
    }

    /// <summary>The rack's side; throws <see cref="LinkException"/> when the region does not prove it knows the secret.</summary>
    public static async Task<LinkConnection> ConnectAsync(
        WebSocket socket, SharedSecret secret, string peerName, LinkCallHandler handler, ILogger logger, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var connection = new LinkConnection(socket, peerName, handler, logger);
        var challenge = await LinkConnection.ReceiveAsync(socket, timeout.Token);
        if (challenge is not { Type: LinkMessage.Challenge, Nonce: { } regionNonce })
            throw new LinkException($"{peerName} did not start the handshake.");
        var rackNonce = NewNonce();
        await connection.SendAsync(
            new LinkMessage { Type = LinkMessage.Auth, Nonce = rackNonce, Digest = Encode(secret.Sign("rack", regionNonce, rackNonce)) }, timeout.Token);
        var answer = await LinkConnection.ReceiveAsync(socket, timeout.Token);
        if (answer is not { Type: LinkMessage.Auth, Digest: { } digest } || !TryDecode(digest, out var proof)
            || !secret.Verify(proof, "region", rackNonce, regionNonce))
        {
            await RefuseAsync(socket);
            throw new LinkException($"{peerName} refused the shared secret or does not know it.");
        }

        connection.Start();
        return connection;
    }

    private static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static string Encode(byte[] digest) => Convert.ToBase64String(digest);

    private static bool TryDecode(string text, out byte[] digest)
    {
        digest = new byte[32];
        return Convert.TryFromBase64String(text, digest, out var written) && written == 32;
    }

    private static async Task RefuseAsync(WebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "authentication failed", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
