using Anvil.Rack.Dhcp.Persistence;
using Anvil.Rack.Dhcp.Wire;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Dhcp;

public sealed class LeaseJournalTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "anvil-journal-" + Guid.NewGuid().ToString("n"));

    [Fact]
    public void Bound_leases_survive_a_restart_and_released_ones_do_not()
    {
        var config = EngineHarness.Config(EngineHarness.Subnet());
        string kept;
        DateTimeOffset now;
        using (var journal = new LeaseJournal(directory))
        {
            var before = new EngineHarness(config, journal);
            kept = before.Lease(1, extra: p => p.WithText(DhcpOptionCode.HostName, "keeper")).YourAddress;
            var released = before.Lease(2);
            before.Send(new ClientPacket(DhcpMessageType.Release, 2) { ClientAddress = ReplyView.Address(released.YourAddress) });
            now = before.Time.GetUtcNow();
        }

        var stored = LeaseJournal.Load(directory, out var lines);
        var after = new EngineHarness(config);
        after.Time.SetUtcNow(now + TimeSpan.FromSeconds(10));
        after.Engine.Load(stored);
        after.Engine.Apply(config);

        lines.ShouldBe(3);
        var lease = after.Engine.ActiveLease(1).ShouldNotBeNull();
        ReplyView.Text(lease.Address).ShouldBe(kept);
        lease.Hostname.ShouldBe("keeper");
        after.Engine.ActiveLease(2).ShouldBeNull();
        after.Send(new ClientPacket(DhcpMessageType.Request, 3).WithAddress(DhcpOptionCode.RequestedAddress, ReplyView.Address(kept)))!.Type.ShouldBe(DhcpMessageType.Nak);
        after.Send(new ClientPacket(DhcpMessageType.Request, 1) { ClientAddress = ReplyView.Address(kept) })!.Type.ShouldBe(DhcpMessageType.Ack);
    }

    [Fact]
    public void Leases_that_ran_out_while_stopped_are_not_loaded()
    {
        var config = EngineHarness.Config(EngineHarness.Subnet());
        DateTimeOffset now;
        using (var journal = new LeaseJournal(directory))
        {
            var before = new EngineHarness(config, journal);
            before.Lease(1);
            now = before.Time.GetUtcNow();
        }

        var after = new EngineHarness(config);
        after.Time.SetUtcNow(now + TimeSpan.FromSeconds(601));
        after.Engine.Load(LeaseJournal.Load(directory, out _));

        after.Engine.ActiveLease(1).ShouldBeNull();
    }

    [Fact]
    public void Compaction_rewrites_the_journal_as_the_live_leases_only()
    {
        var config = EngineHarness.Config(EngineHarness.Subnet());
        using (var journal = new LeaseJournal(directory))
        {
            var harness = new EngineHarness(config, journal);
            for (var renewals = 0; renewals < 5; renewals++)
            {
                harness.Lease(1);
                harness.Lease(2);
            }

            journal.Lines.ShouldBe(10);
            journal.Compact(harness.Engine.BoundLeases());
            journal.Lines.ShouldBe(2);
            harness.Lease(3);
        }

        var stored = LeaseJournal.Load(directory, out var lines);
        lines.ShouldBe(3);
        stored.Select(l => l.Mac).Order().ShouldBe([1ul, 2ul, 3ul]);
    }

    [Fact]
    public void A_torn_last_line_and_garbage_are_skipped()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, LeaseJournal.FileName),
            "c 525400000001 0a000064 700000000000000000 600 host\nnonsense line\nc 5254000000zz 0a000065 1 1\nc 525400000002 0a0000");

        var stored = LeaseJournal.Load(directory, out _);

        stored.ShouldHaveSingleItem().Hostname.ShouldBe("host");
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }
}
