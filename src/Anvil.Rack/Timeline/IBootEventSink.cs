using Anvil.Rpc.Contracts;

namespace Anvil.Rack.Timeline;

/// <summary>Where the rack's servers report what booting machines do (docs/architecture/timeline.md); never blocks.</summary>
public interface IBootEventSink
{
    void Record(BootEventDto bootEvent);
}
