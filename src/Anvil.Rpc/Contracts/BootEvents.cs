namespace Anvil.Rpc.Contracts;

/// <summary>A batch of boot timeline events from one rack (docs/architecture/timeline.md).</summary>
public sealed record RecordBootEventsRequest(string SystemId, IReadOnlyList<BootEventDto> Events);

/// <summary>
/// One thing a rack saw a booting machine do: <see cref="Stage"/> <c>dhcp</c>, <c>tftp</c> or
/// <c>http</c>; <see cref="Kind"/> e.g. <c>DHCPDISCOVER</c>, <c>read</c>, <c>GET</c>;
/// <see cref="Mac"/> as the rack knows it (for TFTP and HTTP, from its DHCP leases; null when the
/// client's address has no lease here).
/// </summary>
public sealed record BootEventDto(DateTimeOffset At, string? Mac, string Stage, string Kind, string Detail, long? Bytes);

public sealed record RecordBootEventsResponse(int Stored);
