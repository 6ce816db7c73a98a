namespace Anvil.Rack.Http;

/// <summary>Where the rack's HTTP boot server listens; production racks use port 5248 on every address.</summary>
internal sealed record RackHttpServerOptions
{
    public string ListenUrl { get; init; } = "http://*:5248";
}
