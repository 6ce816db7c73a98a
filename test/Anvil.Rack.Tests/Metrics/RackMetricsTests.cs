using Anvil.Rack.Metrics;
using Shouldly;
using Xunit;

namespace Anvil.Rack.Tests.Metrics;

public sealed class RackMetricsTests
{
    [Fact]
    public void Counters_with_the_same_name_and_labels_are_one_counter()
    {
        var metrics = new RackMetrics();
        metrics.Counter("anvil_dhcp_dropped_total", "Dropped packets.", ("reason", "malformed")).Increment();
        metrics.Counter("anvil_dhcp_dropped_total", "Dropped packets.", ("reason", "malformed")).Add(2);
        metrics.Counter("anvil_dhcp_dropped_total", "Dropped packets.", ("reason", "no_subnet")).Increment();

        metrics.Value("anvil_dhcp_dropped_total", ("reason", "malformed")).ShouldBe(3);
        metrics.Value("anvil_dhcp_dropped_total", ("reason", "no_subnet")).ShouldBe(1);
        metrics.Value("anvil_dhcp_dropped_total", ("reason", "other")).ShouldBe(0);
    }

    [Fact]
    public void Prometheus_text_has_help_type_and_one_line_per_label_set()
    {
        var metrics = new RackMetrics();
        metrics.Counter("anvil_tftp_files_total", "Files sent.").Add(5);
        metrics.Counter("anvil_dhcp_dropped_total", "Dropped packets.", ("reason", "a\"b")).Increment();

        metrics.RenderPrometheus().ShouldBe(
            "# HELP anvil_dhcp_dropped_total Dropped packets.\n" +
            "# TYPE anvil_dhcp_dropped_total counter\n" +
            "anvil_dhcp_dropped_total{reason=\"a\\\"b\"} 1\n" +
            "# HELP anvil_tftp_files_total Files sent.\n" +
            "# TYPE anvil_tftp_files_total counter\n" +
            "anvil_tftp_files_total 5\n");
    }
}
