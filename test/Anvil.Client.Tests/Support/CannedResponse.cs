namespace Anvil.Client.Support;

public sealed record CannedResponse(int Status, string ContentType, string Body);
