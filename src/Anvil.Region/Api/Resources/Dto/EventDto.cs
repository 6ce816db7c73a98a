namespace Anvil.Region.Api.Resources.Dto;

/// <summary>One event of <c>events/?op=query</c>; <c>created</c> is preformatted as MAAS does for events.</summary>
internal sealed record EventDto(string Username, string? Node, string Hostname, long Id, string Level, string Created, string Type, string Description);

/// <summary>A page of events, newest first, with links to newer (<c>next_uri</c>) and older (<c>prev_uri</c>) pages.</summary>
internal sealed record EventPageDto(int Count, IReadOnlyList<EventDto> Events, string NextUri, string? PrevUri);
